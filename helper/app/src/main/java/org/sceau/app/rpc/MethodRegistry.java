package org.sceau.app.rpc;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The methods the helper serves, by name. Thread-safe; names are unique. */
public final class MethodRegistry {
  /** A registered method with who may call it. */
  public record Entry(String name, Access access, RpcMethod method) {}

  private final Map<String, Entry> methods = new ConcurrentHashMap<>();

  public void register(String name, RpcMethod method) {
    register(name, Access.ANY, method);
  }

  public void register(String name, Access access, RpcMethod method) {
    if (!name.matches("[a-z][a-zA-Z0-9]*\\.[a-zA-Z][a-zA-Z0-9.]*")) {
      throw new IllegalArgumentException("method names are namespace.name: " + name);
    }
    Entry previous = methods.putIfAbsent(name, new Entry(name, access, method));
    if (previous != null) {
      throw new IllegalStateException("method registered twice: " + name);
    }
  }

  public Optional<Entry> find(String name) {
    return Optional.ofNullable(methods.get(name));
  }

  public java.util.Set<String> names() {
    return java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(methods.keySet()));
  }
}
