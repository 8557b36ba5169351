package dev.economyengine.app;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * What a thread is doing, in words, read from its stack: for the message of a shutdown that did not finish
 * in time, which has to say what it was waiting for ("worker lane 0 (committing a batch)"). The rules are
 * tried in order, each against the whole stack: the outer call names the activity (a consumer's close
 * polls the network too, but the thread is closing, not polling).
 */
final class ThreadActivity {
    private record Rule(Predicate<StackTraceElement> matches, String activity) {}

    private static final List<Rule> RULES = List.of(
            new Rule(frame -> frame.getMethodName().equals("commitTransaction")
                    || frame.getMethodName().equals("sendOffsetsToTransaction"), "committing a batch"),
            new Rule(frame -> frame.getMethodName().equals("abortTransaction"), "aborting a batch"),
            new Rule(frame -> frame.getMethodName().equals("initTransactions"), "starting its transactional producer"),
            new Rule(frame -> frame.getClassName().endsWith(".ChangelogRestorer"), "restoring shards from the changelog"),
            new Rule(frame -> frame.getClassName().startsWith("org.apache.kafka.clients")
                    && frame.getMethodName().equals("close"), "closing its Kafka clients"),
            new Rule(frame -> frame.getClassName().startsWith("dev.economyengine.store."), "writing its shards"),
            new Rule(frame -> frame.getClassName().startsWith("org.apache.kafka.clients")
                    && frame.getMethodName().equals("poll"), "polling Kafka"),
            new Rule(frame -> frame.getClassName().startsWith("org.apache.kafka.clients"), "waiting for Kafka"));

    private ThreadActivity() {}

    static String of(Thread thread) {
        StackTraceElement[] stack = thread.getStackTrace();
        for (Rule rule : RULES) {
            for (StackTraceElement frame : stack) {
                if (rule.matches().test(frame)) {
                    return rule.activity();
                }
            }
        }
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().startsWith("dev.economyengine.")) {
                String className = frame.getClassName();
                return "in " + className.substring(className.lastIndexOf('.') + 1) + "." + frame.getMethodName();
            }
        }
        return thread.getState().toString().toLowerCase(Locale.ROOT);
    }
}
