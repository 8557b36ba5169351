package dev.economyengine.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The arguments of one command: options that take a value ({@code --name value} or {@code --name=value})
 * and the operands after them. {@code --} ends the options, for an operand that starts with a dash.
 */
record CommandLine(Map<String, String> options, List<String> operands) {
    CommandLine {
        options = Map.copyOf(options);
        operands = List.copyOf(operands);
    }

    /** Throws {@link UsageException} for an unknown or repeated option, or one without its value. */
    static CommandLine parse(List<String> args, Set<String> known) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                operands.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                operands.add(arg);
                continue;
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg : arg.substring(0, equals);
            if (!known.contains(name)) {
                throw new UsageException("unknown option '" + name + "'");
            }
            String value;
            if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new UsageException("option " + name + " needs a value");
            }
            if (options.putIfAbsent(name, value) != null) {
                throw new UsageException("option " + name + " is given twice");
            }
        }
        return new CommandLine(options, operands);
    }

    Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    static boolean asksForHelp(List<String> args) {
        return args.size() == 1 && (args.get(0).equals("-h") || args.get(0).equals("--help"));
    }
}
