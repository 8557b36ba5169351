package dev.economyengine.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Real Kafka clients whose named methods, once armed, fail once each with the timeout a briefly
 * unreachable broker causes, instead of running. The worker's thread fires them; the test's arms them.
 */
public final class FaultInjection {
    private final Set<String> armed = ConcurrentHashMap.newKeySet();

    public void arm(String... methods) {
        armed.addAll(List.of(methods));
    }

    public boolean allFired() {
        return armed.isEmpty();
    }

    /** The client, except that an armed method throws a timeout, once, instead of running. */
    @SuppressWarnings("unchecked")
    public <T> T wrap(Class<T> type, T delegate) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (armed.remove(method.getName())) {
                throw new TimeoutException("injected: " + method.getName() + " timed out, the broker being unreachable");
            }
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
