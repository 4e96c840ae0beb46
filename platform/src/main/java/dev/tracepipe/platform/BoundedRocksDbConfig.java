package dev.tracepipe.platform;

import java.util.Map;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;
import org.apache.kafka.streams.state.RocksDBConfigSetter;

/**
 * Bounds the off-heap memory of every RocksDB store in the process, whichever stage owns it: one block cache shared by
 * all stores, with the memtables and index/filter blocks charged against it, as the Kafka Streams memory-management
 * guide describes. Every stage gets it from {@link TracepipeConfig#streamsProperties}.
 */
public final class BoundedRocksDbConfig implements RocksDBConfigSetter {

  /** The limits, passed to Kafka Streams as {@code tracepipe.rocksdb.*} properties. */
  public record Bounds(long totalBytes, long memtableBytes, long writeBufferBytes) {
    static final String TOTAL = "tracepipe.rocksdb.total.bytes";
    static final String MEMTABLES = "tracepipe.rocksdb.memtables.bytes";
    static final String WRITE_BUFFER = "tracepipe.rocksdb.write.buffer.bytes";
    // Sized for every store of every stage in one process (window stores keep one RocksDB per segment): a small
    // memtable budget shared by dozens of stores flushes all the time and stalls writes on disk I/O.
    public static final Bounds DEFAULTS = new Bounds(512L << 20, 256L << 20, 8L << 20);
    /** Configuration keys; the older {@code aggregator.rocksdb.*} names are still read for one release. */
    public static final Setting TOTAL_SETTING = Setting.of("rocksdb.total.bytes", DEFAULTS.totalBytes,
        "off-heap memory of all RocksDB stores of the process, every stage's").formerly("aggregator.rocksdb.total.bytes");
    public static final Setting MEMTABLES_SETTING = Setting.of("rocksdb.memtables.bytes", DEFAULTS.memtableBytes,
        "part of it for memtables").formerly("aggregator.rocksdb.memtables.bytes");
    public static final Setting WRITE_BUFFER_SETTING = Setting.of("rocksdb.write.buffer.bytes",
        DEFAULTS.writeBufferBytes, "size of one memtable").formerly("aggregator.rocksdb.write.buffer.bytes");

    public Bounds {
      if (totalBytes <= 0 || memtableBytes <= 0 || writeBufferBytes <= 0 || memtableBytes > totalBytes) {
        throw new IllegalArgumentException("invalid RocksDB bounds: total " + totalBytes + ", memtables "
            + memtableBytes + ", write buffer " + writeBufferBytes);
      }
    }

    public static Bounds from(TracepipeConfig config) {
      long total = TOTAL_SETTING.longValue(config);
      // A smaller total alone keeps memtables at half of it rather than failing on the larger default.
      long memtables = MEMTABLES_SETTING.find(config).map(v -> Long.parseLong(v.trim()))
          .orElse(Math.min(DEFAULTS.memtableBytes, total / 2));
      return new Bounds(total, memtables, WRITE_BUFFER_SETTING.longValue(config));
    }

    static Bounds from(Map<String, Object> streamsConfig) {
      return new Bounds(number(streamsConfig, TOTAL, DEFAULTS.totalBytes),
          number(streamsConfig, MEMTABLES, DEFAULTS.memtableBytes),
          number(streamsConfig, WRITE_BUFFER, DEFAULTS.writeBufferBytes));
    }

    public Map<String, String> asConfig() {
      return Map.of(TOTAL, String.valueOf(totalBytes), MEMTABLES, String.valueOf(memtableBytes), WRITE_BUFFER,
          String.valueOf(writeBufferBytes));
    }

    private static long number(Map<String, Object> config, String key, long fallback) {
      Object value = config.get(key);
      return value == null ? fallback : Long.parseLong(value.toString().trim());
    }
  }

  /** Share of the cache kept for index and filter blocks, so data blocks cannot evict them. */
  private static final double INDEX_FILTER_RATIO = 0.1;
  private static Cache cache;
  private static WriteBufferManager writeBufferManager;
  private static Bounds bounds;

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    Bounds wanted = Bounds.from(configs);
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(sharedCache(wanted));
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setTableFormatConfig(table);
    options.setWriteBufferManager(writeBufferManager);
    options.setWriteBufferSize(wanted.writeBufferBytes());
    options.setMaxWriteBufferNumber(2);
  }

  /** The cache is per process, created by the first store with the first bounds seen; later bounds must agree. */
  private static synchronized Cache sharedCache(Bounds wanted) {
    if (cache == null) {
      cache = new LRUCache(wanted.totalBytes(), -1, false, INDEX_FILTER_RATIO);
      writeBufferManager = new WriteBufferManager(wanted.memtableBytes(), cache);
      bounds = wanted;
    } else if (!bounds.equals(wanted)) {
      throw new IllegalStateException("RocksDB bounds " + wanted + " differ from " + bounds
          + " already in use by this process");
    }
    return cache;
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and write buffer manager are shared by every store of the process and live as long as it does.
  }
}
