package dev.tracepipe.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Reads a request body, decompressing gzip, with a size limit that applies after decompression (zip bombs). */
final class HttpBodies {
  private HttpBodies() {}

  /** Why a body could not be read, with the HTTP status that says so. */
  static final class BodyException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    BodyException(int status, String message) {
      super(message);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  static byte[] read(InputStream body, String contentEncoding, long maxBytes) throws BodyException {
    String encoding = contentEncoding == null ? "identity" : contentEncoding.trim().toLowerCase(Locale.ROOT);
    try {
      InputStream in = switch (encoding) {
        case "", "identity" -> body;
        case "gzip", "x-gzip" -> new GZIPInputStream(body);
        default -> throw new BodyException(415, "unsupported Content-Encoding: " + contentEncoding);
      };
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (bytes.length > maxBytes) {
        throw new BodyException(413, "request body exceeds " + maxBytes + " bytes"
            + ("identity".equals(encoding) || encoding.isEmpty() ? "" : " after decompression"));
      }
      return bytes;
    } catch (ZipException | java.io.EOFException e) {
      throw new BodyException(400, "body is not valid " + encoding + ": " + e.getMessage());
    } catch (IOException e) {
      throw new BodyException(400, "cannot read the request body: " + e.getMessage());
    }
  }
}
