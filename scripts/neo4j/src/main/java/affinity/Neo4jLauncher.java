package affinity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Runs a real Neo4j Community DBMS (embedded DatabaseManagementService) with the Bolt connector on
 * 127.0.0.1:PORT, authentication enabled, data under HOME/data and logs under HOME/logs.
 *
 * Usage: java -cp ... affinity.Neo4jLauncher HOME PORT PASSWORD_FILE [PAGECACHE_SIZE]
 *
 * On start, if the built-in user "neo4j" still has the default password (password change required),
 * its password is set to the contents of PASSWORD_FILE. When everything is up, HOME/ready is written
 * (containing the bolt URI); it is removed again on shutdown. SIGTERM triggers a clean shutdown.
 * An optional HOME/neo4j.conf (standard Neo4j settings, e.g. db.transaction.timeout=60s) is loaded too.
 */
public final class Neo4jLauncher {

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: Neo4jLauncher HOME PORT PASSWORD_FILE [PAGECACHE_SIZE]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath().normalize();
        int port = Integer.parseInt(args[1]);
        Path passwordFile = Path.of(args[2]);
        String pageCache = args.length > 3 && !args[3].isBlank() ? args[3] : "512m";

        String password = Files.readString(passwordFile, StandardCharsets.UTF_8).trim();
        if (password.length() < 8) {
            throw new IllegalStateException("password in " + passwordFile + " must be at least 8 characters");
        }
        Path ready = home.resolve("ready");
        Files.deleteIfExists(ready);

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setConfig(GraphDatabaseSettings.data_directory, home.resolve("data"))
                .setConfig(GraphDatabaseSettings.logs_directory, home.resolve("logs"))
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pageCache))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                // Don't preallocate 256 MiB of transaction log per database (dev/test instances).
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                // No phoning home from a dev/CI database.
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Netty otherwise idles 5s per Bolt event-loop group on shutdown (~10s per stop);
                // the databases are already checkpointed and closed by then.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5))
                .setUserLogProvider(new Log4jLogProvider(System.out));
        Path conf = home.resolve("neo4j.conf");
        if (Files.isRegularFile(conf)) {
            builder.loadPropertiesFromFile(conf);
        }

        long t0 = System.nanoTime();
        DatabaseManagementService dbms = builder.build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("[launcher] shutting down Neo4j ...");
            try {
                Files.deleteIfExists(ready);
            } catch (IOException ignored) {
                // best effort
            }
            dbms.shutdown();
            System.out.println("[launcher] Neo4j stopped");
            stopped.countDown();
        }, "neo4j-shutdown"));

        try {
            ensurePassword(dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);
            // Make sure the default database is available before announcing readiness.
            GraphDatabaseService neo4j = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            neo4j.executeTransactionally("RETURN 1");
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        }

        String uri = "bolt://127.0.0.1:" + port;
        Path tmp = home.resolve("ready.tmp");
        Files.writeString(tmp, uri + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, ready, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.printf("[launcher] Neo4j ready on %s (started in %.1fs, pid %d)%n",
                uri, (System.nanoTime() - t0) / 1e9, ProcessHandle.current().pid());

        stopped.await();
    }

    /** Sets the neo4j user's password once, while it still has the default one. */
    private static void ensurePassword(GraphDatabaseService system, String password) {
        boolean changeRequired;
        boolean exists;
        try (Transaction tx = system.beginTx();
             Result r = tx.execute("SHOW USERS YIELD user, passwordChangeRequired WHERE user = 'neo4j' "
                     + "RETURN passwordChangeRequired")) {
            exists = r.hasNext();
            changeRequired = exists && Boolean.TRUE.equals(r.next().get("passwordChangeRequired"));
            tx.commit();
        }
        if (!exists) {
            system.executeTransactionally("CREATE USER neo4j SET PASSWORD $p CHANGE NOT REQUIRED", Map.of("p", password));
            System.out.println("[launcher] created user neo4j with the password from the password file");
        } else if (changeRequired) {
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD $p CHANGE NOT REQUIRED", Map.of("p", password));
            System.out.println("[launcher] initial password of user neo4j set from the password file");
        }
    }
}
