package dev.hyperj.chain.substrate;

/**
 * A transaction's validity window: immortal, or mortal for {@code period} blocks (a power of two in
 * [4, 65536]) starting at the block whose number is {@code phase} modulo the period.
 */
public record Era(long period, long phase) {
    public static final Era IMMORTAL = new Era(0, 0);

    public Era {
        if (period != 0) {
            if (period < 4 || period > 65536 || Long.bitCount(period) != 1)
                throw new IllegalArgumentException(
                        "a mortal era's period is a power of two in [4, 65536], got " + period);
            if (phase < 0 || phase >= period)
                throw new IllegalArgumentException("phase " + phase + " outside the period");
        }
    }

    /** Mortal from block {@code current} for about {@code period} blocks (rounded up to a power of two). */
    public static Era mortal(long period, long current) {
        long p = Long.highestOneBit(Math.max(4, Math.min(65536, period)));
        if (p < Math.min(65536, period)) p <<= 1;
        long quantize = Math.max(p >> 12, 1);
        long phase = current % p / quantize * quantize;
        return new Era(p, phase);
    }

    public boolean immortal() {
        return period == 0;
    }

    /** The first block of the window: the block whose hash a mortal signature commits to. */
    public long birth(long current) {
        if (immortal()) return 0;
        return (Math.max(current, phase) - phase) / period * period + phase;
    }

    /** SCALE: 0x00 for immortal; two bytes (log2 of the period - 1, and the quantized phase) for mortal. */
    public byte[] encode() {
        if (immortal()) return new byte[] {0};
        long quantize = Math.max(period >> 12, 1);
        int low = (int) Math.min(15, Math.max(1, Long.numberOfTrailingZeros(period) - 1));
        int encoded = low | (int) ((phase / quantize) << 4);
        return new byte[] {(byte) encoded, (byte) (encoded >>> 8)};
    }

    public static Era decode(byte[] b) {
        if (b.length == 1 && b[0] == 0) return IMMORTAL;
        if (b.length != 2) throw new IllegalArgumentException("an era is 1 or 2 bytes");
        int encoded = (b[0] & 0xff) | (b[1] & 0xff) << 8;
        long period = 2L << (encoded % (1 << 4));
        long quantize = Math.max(period >> 12, 1);
        long phase = (long) (encoded >> 4) * quantize;
        return new Era(period, phase);
    }
}
