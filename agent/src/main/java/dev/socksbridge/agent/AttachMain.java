package dev.socksbridge.agent;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.socksbridge.agent.inventory.InventoryCommand;
import java.io.File;
import java.net.URISyntaxException;
import java.util.List;

/**
 * {@code java -jar socksbridge-agent.jar attach <pid> [options]} loads the agent into a running JVM;
 * {@code list} shows the JVMs that can be attached to. Uses the JDK's attach API (module jdk.attach).
 * {@code learn} and {@code report} build a policy file or an HTML report from events files offline.
 */
public final class AttachMain {

    private AttachMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 1 && args[0].equals("list")) {
            for (VirtualMachineDescriptor vm : VirtualMachine.list()) {
                System.out.println(vm.id() + " " + vm.displayName());
            }
            return 0;
        }
        if (args.length >= 1 && (args[0].equals("learn") || args[0].equals("report"))) {
            return new InventoryCommand(System.out, System.err).run(args[0], List.of(args).subList(1, args.length));
        }
        if ((args.length == 2 || args.length == 3) && args[0].equals("attach")) {
            return attach(args[1], args.length == 3 ? args[2] : "");
        }
        System.err.println("usage: java -jar socksbridge-agent.jar attach <pid> [options]   (options as for -javaagent)");
        System.err.println("       java -jar socksbridge-agent.jar list");
        System.err.println("       " + InventoryCommand.USAGE_LEARN);
        System.err.println("       " + InventoryCommand.USAGE_REPORT);
        return 2;
    }

    private static int attach(String pid, String options) {
        if (!pid.matches("[0-9]{1,19}")) {
            System.err.println("socksbridge: attach <pid>: '" + pid
                    + "' (expected: the numeric id of a running JVM, as `list` shows)");
            return 2;
        }
        if (!options.contains("config=")) {
            // Check here what can be checked here, so a typo gets one clear line and not a failed agent's
            // stack trace in the target JVM. (A config file is read where the agent runs, in the target.)
            try {
                AgentOptions.parse(options);
            } catch (AgentOptionsException e) {
                System.err.println(e.getMessage() + " (nothing attached)");
                return 2;
            }
        }
        try {
            String jar = new File(AttachMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .getAbsolutePath();
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                vm.loadAgent(jar, options);
            } finally {
                vm.detach();
            }
            System.out.println("socksbridge: agent loaded into " + pid);
            return 0;
        } catch (AgentInitializationException e) {
            System.err.println("socksbridge: the agent failed to start in " + pid
                    + " (on-error=fail; the reason is on that JVM's standard error)");
            return 1;
        } catch (URISyntaxException | RuntimeException | java.io.IOException
                 | com.sun.tools.attach.AttachNotSupportedException | com.sun.tools.attach.AgentLoadException e) {
            System.err.println("socksbridge: cannot attach to " + pid + ": " + e);
            return 1;
        }
    }
}
