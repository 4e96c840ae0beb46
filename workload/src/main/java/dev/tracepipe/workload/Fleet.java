package dev.tracepipe.workload;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * The hosts of every instrumented service. The first half of each service's hosts runs the old version and the second
 * half the new one; names come from the service name alone, so every run and every seed sees the same fleet.
 */
final class Fleet {
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private final Map<String, List<Instance>> byService = new LinkedHashMap<>();

  /** @param hostsByService how many hosts each service runs on, at least two so that both versions are live */
  Fleet(Map<String, Integer> hostsByService) {
    int serviceIndex = 0;
    for (Map.Entry<String, Integer> entry : hostsByService.entrySet()) {
      if (entry.getValue() < 2) {
        throw new IllegalArgumentException(entry.getKey() + " needs at least two hosts, has " + entry.getValue());
      }
      byService.put(entry.getKey(), instances(entry.getKey(), entry.getValue(), ++serviceIndex));
    }
  }

  List<String> services() {
    return List.copyOf(byService.keySet());
  }

  List<Instance> instancesOf(String service) {
    List<Instance> instances = byService.get(service);
    if (instances == null) {
      throw new IllegalArgumentException("unknown service " + service + ", known: " + byService.keySet());
    }
    return instances;
  }

  /** A host picked as a round-robin-ish load balancer would: uniformly. */
  Instance pick(String service, RandomGenerator random) {
    List<Instance> instances = instancesOf(service);
    return instances.get(random.nextInt(instances.size()));
  }

  /** The host a SLOW_HOST fault slows down: the first one, which runs the old version. */
  Instance slowHostOf(String service) {
    return instancesOf(service).get(0);
  }

  private static List<Instance> instances(String service, int hosts, int serviceIndex) {
    Random names = new Random(service.hashCode());
    int major = 1 + names.nextInt(4);
    int minor = names.nextInt(20);
    String oldVersion = major + "." + minor + "." + names.nextInt(5);
    String newVersion = major + "." + (minor + 1) + ".0";
    String oldReplicaSet = token(names, 10);
    String newReplicaSet = token(names, 10);
    List<Instance> result = new ArrayList<>(hosts);
    for (int i = 0; i < hosts; i++) {
      boolean isNew = i >= hosts / 2;
      String host = service + "-" + (isNew ? newReplicaSet : oldReplicaSet) + "-" + token(names, 5);
      String version = isNew ? newVersion : oldVersion;
      String ip = "10.1." + serviceIndex + "." + (10 + i);
      Map<String, String> resource = new LinkedHashMap<>();
      resource.put("service.name", service);
      resource.put("service.version", version);
      resource.put("host.name", host);
      resource.put("host.ip", ip);
      resource.put("deployment.environment", "production");
      result.add(new Instance(service, host, ip, version, isNew, resource));
    }
    return Collections.unmodifiableList(result);
  }

  private static String token(Random random, int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    }
    return new String(chars);
  }

  @Override
  public String toString() {
    return Objects.toString(byService.keySet());
  }
}
