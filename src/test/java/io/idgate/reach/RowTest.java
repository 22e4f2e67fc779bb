package io.idgate.reach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.idgate.netpol.Connections;
import io.idgate.netpol.Protocol;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A row keeps only its set entries and reads exactly as the array it was made of. */
class RowTest {

    private static final Connections WEB = Connections.of(Protocol.TCP, 80);
    private static final Connections DNS = Connections.of(Protocol.UDP, 53);

    @Test
    void anEmptyRowReadsNothingAnywhere() {
        Row row = Row.of(new Connections[200]);
        assertEquals(0, row.entries());
        for (int i : new int[] {0, 63, 64, 199, 200, 10_000}) {
            assertNull(row.get(i));
        }
    }

    @Test
    void entriesAtWordBoundariesReadBackAndTheirNeighboursStayEmpty() {
        Connections[] a = new Connections[130];
        for (int i : new int[] {0, 62, 63, 64, 65, 127, 128, 129}) {
            a[i] = i % 2 == 0 ? WEB : DNS;
        }
        Row row = Row.of(a);
        assertEquals(8, row.entries());
        for (int i = 0; i < a.length; i++) {
            assertSame(a[i], row.get(i), "entry " + i);
        }
    }

    @Test
    void aRowReadsNothingBeyondItsEnd() {
        Connections[] a = new Connections[70];
        Arrays.fill(a, WEB);
        Row row = Row.of(a);
        assertSame(WEB, row.get(69));
        assertNull(row.get(70));
        assertNull(row.get(127));
        assertNull(row.get(128));
    }

    @Test
    void aBuilderFromARowExtendsItWithNothingOrDropsItsTail() {
        Connections[] a = new Connections[10];
        a[2] = WEB;
        a[9] = DNS;
        Row row = Row.of(a);
        Row.Builder longer = new Row.Builder(row, 20);
        assertSame(WEB, longer.get(2));
        assertSame(DNS, longer.get(9));
        assertNull(longer.get(19));
        longer.set(15, WEB);
        Row extended = longer.build();
        assertEquals(3, extended.entries());
        assertSame(WEB, extended.get(15));
        assertSame(DNS, extended.get(9));
        Row shorter = new Row.Builder(row, 5).build();
        assertEquals(1, shorter.entries());
        assertSame(WEB, shorter.get(2));
        assertNull(shorter.get(9));
    }

    @Test
    void settingAnEntryTwiceKeepsTheLastValueAndCountsItOnce() {
        Row.Builder b = new Row.Builder(100);
        b.set(70, WEB);
        b.set(70, DNS);
        Row row = b.build();
        assertEquals(1, row.entries());
        assertSame(DNS, row.get(70));
    }

    @Test
    void randomRowsOfEveryDensityReadAsTheirArrays() {
        Random random = new Random(15);
        for (int round = 0; round < 300; round++) {
            Connections[] a = new Connections[random.nextInt(400)];
            double fill = random.nextDouble();
            for (int i = 0; i < a.length; i++) {
                a[i] = random.nextDouble() < fill ? (random.nextBoolean() ? WEB : DNS) : null;
            }
            Row row = Row.of(a);
            for (int i = 0; i < a.length + 70; i++) {
                assertSame(i < a.length ? a[i] : null, row.get(i), "round " + round + ", entry " + i);
            }
            Row.Builder copy = new Row.Builder(row, a.length);
            for (int i = 0; i < a.length; i++) {
                assertSame(a[i], copy.get(i));
            }
            assertEquals(Arrays.stream(a).filter(c -> c != null).count(), row.entries());
        }
    }
}
