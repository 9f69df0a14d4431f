package dev.gantry.runtime.upstream;

import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import java.util.Arrays;
import java.util.Map;

/**
 * The headers the gateway puts on an upstream's answer (quota, CORS): they replace the upstream's
 * of the same name. A handful at most, so they are kept in two arrays and found by a scan, not in
 * a hashed map made, filled and copied per request.
 */
public final class AddedHeaders {
  private CharSequence[] names = new CharSequence[4];
  private CharSequence[] values = new CharSequence[4];
  private int size;

  /** Sets {@code name} (ignoring case) to {@code value}, replacing any earlier value. */
  public AddedHeaders set(CharSequence name, CharSequence value) {
    int at = indexOf(name);
    if (at >= 0) {
      values[at] = value;
    } else {
      add(name, value);
    }
    return this;
  }

  /** Adds every header of {@code headers}, keeping the ones already here. */
  public AddedHeaders addAll(MultiMap headers) {
    for (Map.Entry<String, String> header : headers) {
      add(header.getKey(), header.getValue());
    }
    return this;
  }

  private void add(CharSequence name, CharSequence value) {
    if (size == names.length) {
      names = Arrays.copyOf(names, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    names[size] = name;
    values[size++] = value;
  }

  public boolean contains(CharSequence name) {
    return indexOf(name) >= 0;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Adds them all to {@code to}, after what it has. */
  public void addTo(MultiMap to) {
    for (int i = 0; i < size; i++) {
      to.add(names[i], values[i]);
    }
  }

  /** Takes each of their names off {@code headers} (the gateway's answer so far). */
  public void removeFrom(MultiMap headers) {
    for (int i = 0; i < size; i++) {
      headers.remove(names[i]);
    }
  }

  private int indexOf(CharSequence name) {
    for (int i = 0; i < size; i++) {
      if (names[i].length() == name.length() && AsciiString.contentEqualsIgnoreCase(names[i], name)) {
        return i;
      }
    }
    return -1;
  }
}
