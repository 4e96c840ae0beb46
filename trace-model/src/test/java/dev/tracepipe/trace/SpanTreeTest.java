package dev.tracepipe.trace;

import static dev.tracepipe.trace.Spans.A;
import static dev.tracepipe.trace.Spans.B;
import static dev.tracepipe.trace.Spans.C;
import static dev.tracepipe.trace.Spans.ip;
import static dev.tracepipe.trace.Spans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each placement rule of Zipkin's SpanNode.Builder as SpanTree applies it. */
class SpanTreeTest {
  private final Span root = span(A, null, SpanKind.SERVER, "web").build();
  private final Span client = span(B, A, SpanKind.CLIENT, "web").build();

  @Test
  void sharedHalf_hangsUnderTheClientWithItsId() {
    Span server = span(B, A, SpanKind.SERVER, "app").setShared(true).build();

    SpanNode tree = SpanTree.build(List.of(server, client, root));

    assertThat(tree.span()).isEqualTo(root);
    SpanNode clientNode = tree.children().get(0);
    assertThat(clientNode.span()).isEqualTo(client);
    assertThat(clientNode.children()).extracting(SpanNode::span).containsExactly(server);
  }

  @Test
  void childOfASharedId_hangsUnderTheServerHalf_whenReportedFromItsEndpoint() {
    Span server = ip(span(B, A, SpanKind.SERVER, "app").setShared(true), "10.0.0.1").build();
    Span child = ip(span(C, B, SpanKind.INTERNAL, "app"), "10.0.0.1").build();

    SpanNode tree = SpanTree.build(List.of(root, client, server, child));

    assertThat(parentOf(tree, child)).isEqualTo(server);
  }

  @Test
  void childOfASharedId_hangsUnderTheClientHalf_whenItsEndpointDiffers() {
    Span server = ip(span(B, A, SpanKind.SERVER, "app").setShared(true), "10.0.0.1").build();
    Span child = ip(span(C, B, SpanKind.INTERNAL, "app"), "10.0.0.2").build();

    SpanNode tree = SpanTree.build(List.of(root, client, server, child));

    assertThat(parentOf(tree, child)).isEqualTo(client);
  }

  @Test
  void headlessSpans_hangUnderTheRoot_andWithoutRootUnderASyntheticOne() {
    Span orphan = span(C, "00000000000000ff", SpanKind.SERVER, "app").build();

    assertThat(parentOf(SpanTree.build(List.of(root, orphan)), orphan)).isEqualTo(root);
    SpanNode synthetic = SpanTree.build(List.of(orphan));
    assertThat(synthetic.synthetic()).isTrue();
    assertThat(synthetic.children()).extracting(SpanNode::span).containsExactly(orphan);
  }

  @Test
  void ofTwoRoots_theLowestIdIsTheRoot_theOtherHangsUnderIt() {
    Span second = span(C, null, SpanKind.SERVER, "app").build();

    SpanNode tree = SpanTree.build(List.of(second, root));

    assertThat(tree.span()).isEqualTo(root);
    assertThat(tree.children()).extracting(SpanNode::span).containsExactly(second);
  }

  @Test
  void exactCopies_areOneNode_andTheRootKeepsItsChildren() {
    Span rootCopy = Span.newBuilder(root).build();
    Span clientCopy = Span.newBuilder(client).build();

    SpanNode tree = SpanTree.ofMerged(List.of(clientCopy, root, client, rootCopy));

    assertThat(tree.span()).isEqualTo(root);
    assertThat(tree.children()).extracting(SpanNode::span).containsExactly(client);
    assertThat(tree.children().get(0).children()).isEmpty();
  }

  private static Span parentOf(SpanNode tree, Span span) {
    Span[] parent = new Span[1];
    tree.forEach(node -> {
      if (node.span().equals(span)) parent[0] = node.parent().span();
    });
    return parent[0];
  }
}
