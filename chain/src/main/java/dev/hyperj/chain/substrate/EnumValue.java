package dev.hyperj.chain.substrate;

/**
 * A decoded enum value: the variant's name and index, and its fields ({@code null} for none, the
 * value itself for one unnamed field, a {@code List} for several, a {@code Map} for named ones).
 */
public record EnumValue(String name, int index, Object value) {
    public static EnumValue of(String name) {
        return new EnumValue(name, -1, null);
    }

    public static EnumValue of(String name, Object value) {
        return new EnumValue(name, -1, value);
    }

    @Override
    public String toString() {
        return value == null ? name : name + "(" + value + ")";
    }
}
