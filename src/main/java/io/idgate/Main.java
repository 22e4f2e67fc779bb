package io.idgate;

import io.idgate.cli.Cli;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * One artifact, two lives: {@code idgate check|labels|audit|reach|help} run as plain picocli
 * commands before Quarkus starts (about a second, no CDI, no port opened); {@code idgate serve} (or no
 * argument) starts the webhook server, and anything else is refused as an unknown command. quarkus-picocli is not used because it boots the whole application for every command.
 */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        if (Cli.handles(args)) {
            System.exit(Cli.run(args));
        }
        ServerProcess.run(args.length > 0 && "serve".equals(args[0]) ? java.util.Arrays.copyOfRange(args, 1, args.length) : args);
    }
}
