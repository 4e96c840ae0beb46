package dev.tracepipe.launcher;

import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.platform.http.HttpSettings;
import dev.tracepipe.schemas.serde.SchemaRegistryClients;
import java.util.HashMap;
import java.util.Map;

/** The serdes' registry credential and trust store for a secured embedded registry, unless set explicitly. */
final class RegistryClientSettings {
  private RegistryClientSettings() {}

  static Map<String, String> forEmbedded(TracepipeConfig config, HttpSettings registry, Map<String, String> overrides) {
    Map<String, String> more = new HashMap<>(overrides);
    if (!registry.basicUsers().isEmpty() && config.find(SchemaRegistryClients.BASIC_AUTH_USER_INFO).isEmpty()) {
      Map.Entry<String, String> user = registry.basicUsers().entrySet().iterator().next();
      more.putIfAbsent(SchemaRegistryClients.BASIC_AUTH_USER_INFO, user.getKey() + ":" + user.getValue());
      more.putIfAbsent("basic.auth.credentials.source", "USER_INFO");
    }
    if (registry.tls() && registry.trustStore() != null
        && config.find(SchemaRegistryClients.TRUSTSTORE_LOCATION).isEmpty()) {
      more.putIfAbsent(SchemaRegistryClients.TRUSTSTORE_LOCATION, registry.trustStore().toString());
      more.putIfAbsent(SchemaRegistryClients.TRUSTSTORE_PASSWORD, registry.trustStorePassword());
      more.putIfAbsent(SchemaRegistryClients.TRUSTSTORE_TYPE, registry.keyStoreType());
    }
    return more;
  }
}
