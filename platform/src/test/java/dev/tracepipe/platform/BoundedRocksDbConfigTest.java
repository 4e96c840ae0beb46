package dev.tracepipe.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/** The setter's options on a real RocksDB, as Kafka Streams hands them over: large values go to blob files. */
class BoundedRocksDbConfigTest {

  @TempDir
  Path dir;

  @Test
  void largeValuesAreWrittenToBlobFilesAndReadBack() throws Exception {
    byte[] large = value(20_000);
    byte[] small = value(200);
    Path db = dir.resolve("store");
    write(db, BoundedRocksDbConfig.Bounds.DEFAULTS, large, small);

    long blobBytes = sizeOf(db, ".blob");
    assertThat(blobBytes).as("blob files hold the large value").isGreaterThanOrEqualTo(large.length);
    assertThat(sizeOf(db, ".sst")).as("the tree keeps the small value and a reference")
        .isLessThan(large.length);
  }

  @Test
  void zeroKeepsEveryValueInTheTree() throws Exception {
    BoundedRocksDbConfig.Bounds d = BoundedRocksDbConfig.Bounds.DEFAULTS;
    Path db = dir.resolve("store");
    byte[] large = value(20_000);
    write(db, new BoundedRocksDbConfig.Bounds(d.totalBytes(), d.memtableBytes(), d.writeBufferBytes(), 0), large,
        value(200));

    assertThat(sizeOf(db, ".blob")).isZero();
    assertThat(sizeOf(db, ".sst")).isGreaterThanOrEqualTo(large.length);
  }

  @Test
  void theBlobSizeIsReadFromItsSettingAndCannotBeNegative() {
    Map<String, String> config = BoundedRocksDbConfig.Bounds.from(TracepipeConfig.of(Map.of("rocksdb.blob.min.bytes",
        "4096"))).asConfig();
    assertThat(config).containsEntry("tracepipe.rocksdb.blob.min.bytes", "4096");
    assertThat(BoundedRocksDbConfig.Bounds.from(TracepipeConfig.of(Map.of())).blobMinBytes()).isEqualTo(1024);
    BoundedRocksDbConfig.Bounds d = BoundedRocksDbConfig.Bounds.DEFAULTS;
    assertThatThrownBy(() -> new BoundedRocksDbConfig.Bounds(d.totalBytes(), d.memtableBytes(), d.writeBufferBytes(),
        -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blob values from -1");
  }

  /** Writes both values with the setter's options, flushes, reopens and checks they read back. */
  private static void write(Path db, BoundedRocksDbConfig.Bounds bounds, byte[] large, byte[] small)
      throws RocksDBException {
    RocksDB.loadLibrary();
    Map<String, Object> streamsConfig = new HashMap<>(bounds.asConfig());
    BoundedRocksDbConfig setter = new BoundedRocksDbConfig();
    for (int round = 0; round < 2; round++) {
      try (Options options = new Options().setCreateIfMissing(true)) {
        options.setTableFormatConfig(new BlockBasedTableConfig());
        setter.setConfig("store", options, streamsConfig);
        try (RocksDB rocks = RocksDB.open(options, db.toString())) {
          if (round == 0) {
            rocks.put("large".getBytes(), large);
            rocks.put("small".getBytes(), small);
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
              rocks.flush(flush);
            }
          }
          assertThat(rocks.get("large".getBytes())).isEqualTo(large);
          assertThat(rocks.get("small".getBytes())).isEqualTo(small);
        }
        setter.close("store", options);
      }
    }
  }

  /** Random bytes, which no compression shrinks. */
  private static byte[] value(int size) {
    byte[] value = new byte[size];
    new Random(size).nextBytes(value);
    return value;
  }

  private static long sizeOf(Path db, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(db)) {
      return files.filter(f -> f.toString().endsWith(suffix)).mapToLong(f -> f.toFile().length()).sum();
    }
  }
}
