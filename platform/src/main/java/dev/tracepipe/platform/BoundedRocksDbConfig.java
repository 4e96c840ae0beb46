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
 *
 * <p>Values of {@link Bounds#blobMinBytes} or more (a stored trace, a trace's span records in the aggregator) go to blob
 * files at flush, and the tree keeps only a reference: compactions then move keys and references instead of copying
 * every large value again each time, which was most of RocksDB's background work. These stores delete in about the
 * order they wrote (traces by age, span records after emission), so a blob file is deleted once compactions have met
 * the deletes of all its values; blob garbage collection, which would copy still-live values out of old files, stays
 * off.
 */
public final class BoundedRocksDbConfig implements RocksDBConfigSetter {

  /**
   * The limits, and the size from which a value goes to a blob file (0: none does), passed to Kafka Streams as {@code
   * tracepipe.rocksdb.*} properties.
   */
  public record Bounds(long totalBytes, long memtableBytes, long writeBufferBytes, long blobMinBytes) {
    static final String TOTAL = "tracepipe.rocksdb.total.bytes";
    static final String MEMTABLES = "tracepipe.rocksdb.memtables.bytes";
    static final String WRITE_BUFFER = "tracepipe.rocksdb.write.buffer.bytes";
    static final String BLOB_MIN = "tracepipe.rocksdb.blob.min.bytes";
    // Sized for every store of every stage in one process (window stores keep one RocksDB per segment): a small
    // memtable budget shared by dozens of stores flushes all the time and stalls writes on disk I/O.
    // Blob files from 1 KiB: a fragment's span record or a stored trace is larger, a trace's state or an edge smaller.
    public static final Bounds DEFAULTS = new Bounds(512L << 20, 256L << 20, 8L << 20, 1L << 10);
    /** Configuration keys; the older {@code aggregator.rocksdb.*} names are still read for one release. */
    public static final Setting TOTAL_SETTING = Setting.of("rocksdb.total.bytes", DEFAULTS.totalBytes,
        "off-heap memory of all RocksDB stores of the process, every stage's").formerly("aggregator.rocksdb.total.bytes");
    public static final Setting MEMTABLES_SETTING = Setting.of("rocksdb.memtables.bytes", DEFAULTS.memtableBytes,
        "part of it for memtables").formerly("aggregator.rocksdb.memtables.bytes");
    public static final Setting WRITE_BUFFER_SETTING = Setting.of("rocksdb.write.buffer.bytes",
        DEFAULTS.writeBufferBytes, "size of one memtable").formerly("aggregator.rocksdb.write.buffer.bytes");
    public static final Setting BLOB_MIN_SETTING = Setting.of("rocksdb.blob.min.bytes", DEFAULTS.blobMinBytes,
        "values of this many bytes or more are kept in blob files, which compactions do not copy; 0 keeps every value"
            + " in the tree");

    public Bounds {
      if (totalBytes <= 0 || memtableBytes <= 0 || writeBufferBytes <= 0 || memtableBytes > totalBytes
          || blobMinBytes < 0) {
        throw new IllegalArgumentException("invalid RocksDB bounds: total " + totalBytes + ", memtables "
            + memtableBytes + ", write buffer " + writeBufferBytes + ", blob values from " + blobMinBytes);
      }
    }

    public static Bounds from(TracepipeConfig config) {
      long total = TOTAL_SETTING.longValue(config);
      // A smaller total alone keeps memtables at half of it rather than failing on the larger default.
      long memtables = MEMTABLES_SETTING.find(config).map(v -> Long.parseLong(v.trim()))
          .orElse(Math.min(DEFAULTS.memtableBytes, total / 2));
      return new Bounds(total, memtables, WRITE_BUFFER_SETTING.longValue(config), BLOB_MIN_SETTING.longValue(config));
    }

    static Bounds from(Map<String, Object> streamsConfig) {
      return new Bounds(number(streamsConfig, TOTAL, DEFAULTS.totalBytes),
          number(streamsConfig, MEMTABLES, DEFAULTS.memtableBytes),
          number(streamsConfig, WRITE_BUFFER, DEFAULTS.writeBufferBytes),
          number(streamsConfig, BLOB_MIN, DEFAULTS.blobMinBytes));
    }

    public Map<String, String> asConfig() {
      return Map.of(TOTAL, String.valueOf(totalBytes), MEMTABLES, String.valueOf(memtableBytes), WRITE_BUFFER,
          String.valueOf(writeBufferBytes), BLOB_MIN, String.valueOf(blobMinBytes));
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
    options.setEnableBlobFiles(wanted.blobMinBytes() > 0);
    options.setMinBlobSize(wanted.blobMinBytes());
  }

  /**
   * The cache is per process, created by the first store with the first bounds seen; later memory bounds must agree
   * (the blob size is each store's own).
   */
  private static synchronized Cache sharedCache(Bounds wanted) {
    Bounds memory = new Bounds(wanted.totalBytes(), wanted.memtableBytes(), wanted.writeBufferBytes(), 0);
    if (cache == null) {
      cache = new LRUCache(wanted.totalBytes(), -1, false, INDEX_FILTER_RATIO);
      writeBufferManager = new WriteBufferManager(wanted.memtableBytes(), cache);
      bounds = memory;
    } else if (!bounds.equals(memory)) {
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
