package dev.suite.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code pg_controldata} would print about a stopped server, read from {@code global/pg_control} itself: the zonky
 * binaries carry no pg_controldata. Only the first fields of {@code ControlFileData}, whose layout has not changed since
 * PostgreSQL 9.x: the cluster state and the location of the latest checkpoint record, with the redo location of its
 * copy as a cross-check (a shutdown checkpoint's redo location is its own).
 */
final class PostgresControlFile {

    private static final int STATE = 16;
    private static final int CHECKPOINT = 32;
    private static final int CHECKPOINT_REDO = 40;
    /** DBState's DB_SHUTDOWNED: the server stopped cleanly (pg_controldata's "shut down"). */
    private static final int SHUT_DOWN = 1;

    private PostgresControlFile() {
    }

    /**
     * The location of the shutdown checkpoint of a server that stopped cleanly (its last WAL record), as an LSN
     * ({@code 0/3000028}); fails for a server that is running, crashed, or was a standby.
     */
    static String cleanShutdownCheckpoint(Path dataDir) {
        ByteBuffer control;
        try {
            control = ByteBuffer.wrap(Files.readAllBytes(dataDir.resolve("global").resolve("pg_control"))).order(ByteOrder.nativeOrder());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the control file of " + dataDir, e);
        }
        int state = control.getInt(STATE);
        long checkpoint = control.getLong(CHECKPOINT);
        if (state != SHUT_DOWN) {
            throw new IllegalStateException("The server of " + dataDir + " did not shut down cleanly (control file state " + state
                    + "): its last WAL record is unknown, a planned switchover cannot check that nothing is lost");
        }
        if (control.getLong(CHECKPOINT_REDO) != checkpoint) {
            throw new IllegalStateException("The control file of " + dataDir + " is not laid out as expected (its checkpoint's redo "
                    + "location differs from the checkpoint's own after a clean shutdown)");
        }
        return lsn(checkpoint);
    }

    static String lsn(long position) {
        return String.format("%X/%X", position >>> 32, position & 0xFFFFFFFFL);
    }
}
