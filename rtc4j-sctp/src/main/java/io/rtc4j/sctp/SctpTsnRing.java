package io.rtc4j.sctp;

/**
 * A queue of elements keyed by consecutive TSNs (as unwrapped longs): the sender's outstanding chunks run from the
 * cumulative ack point + 1 to the next TSN without holes, so a TSN maps to its slot in O(1). Grows by doubling;
 * never shrinks. Not thread-safe.
 *
 * @param <E> the element type
 */
final class SctpTsnRing<E> {
    private Object[] slots = new Object[64];
    private int head;
    private int size;
    private long headTsn;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The TSN of the first element (meaningless when empty). */
    long headTsn() {
        return headTsn;
    }

    /** One past the TSN of the last element. */
    long endTsn() {
        return headTsn + size;
    }

    boolean contains(long tsn) {
        return tsn >= headTsn && tsn < headTsn + size;
    }

    /** The element for this TSN; the caller checks {@link #contains} first. */
    @SuppressWarnings("unchecked")
    E get(long tsn) {
        if (!contains(tsn)) {
            throw new IndexOutOfBoundsException("TSN " + tsn + " not in [" + headTsn + ", " + endTsn() + ")");
        }
        return (E) slots[(int) ((head + (tsn - headTsn)) & (slots.length - 1))];
    }

    @SuppressWarnings("unchecked")
    E first() {
        return size == 0 ? null : (E) slots[head];
    }

    /** Appends the element for {@code tsn}, which must follow the last one (any TSN when empty). */
    void add(long tsn, E e) {
        if (size == 0) {
            headTsn = tsn;
        } else if (tsn != headTsn + size) {
            throw new IllegalArgumentException("TSN " + tsn + " does not follow " + (headTsn + size - 1));
        }
        if (size == slots.length) {
            grow();
        }
        slots[(head + size) & (slots.length - 1)] = e;
        size++;
    }

    /** Removes and returns the first element, or null when empty. */
    @SuppressWarnings("unchecked")
    E poll() {
        if (size == 0) {
            return null;
        }
        E e = (E) slots[head];
        slots[head] = null;
        head = (head + 1) & (slots.length - 1);
        size--;
        headTsn++;
        return e;
    }

    private void grow() {
        Object[] bigger = new Object[slots.length * 2];
        int firstPart = Math.min(size, slots.length - head);
        System.arraycopy(slots, head, bigger, 0, firstPart);
        System.arraycopy(slots, 0, bigger, firstPart, size - firstPart);
        slots = bigger;
        head = 0;
    }
}
