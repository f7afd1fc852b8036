package dev.hyperj.chain.substrate;

import java.util.List;
import java.util.Optional;

/** One type of a runtime's portable type registry (scale-info), as metadata V14/V15 describes it. */
public sealed interface TypeDef {
    /** A struct field or an enum variant's field; {@code name} is empty for tuple-like fields. */
    record Field(Optional<String> name, int type, Optional<String> typeName, List<String> docs) {}

    record Variant(String name, int index, List<Field> fields, List<String> docs) {}

    record Composite(List<Field> fields) implements TypeDef {}

    record Enum(List<Variant> variants) implements TypeDef {
        public Optional<Variant> byIndex(int index) {
            return variants.stream().filter(v -> v.index() == index).findFirst();
        }

        public Optional<Variant> byName(String name) {
            return variants.stream().filter(v -> v.name().equals(name)).findFirst();
        }
    }

    record Sequence(int element) implements TypeDef {}

    record Array(int length, int element) implements TypeDef {}

    record Tuple(List<Integer> elements) implements TypeDef {}

    record Primitive(Prim kind) implements TypeDef {}

    record Compact(int inner) implements TypeDef {}

    record BitSequence(int store, int order) implements TypeDef {}

    enum Prim {
        BOOL,
        CHAR,
        STR,
        U8,
        U16,
        U32,
        U64,
        U128,
        U256,
        I8,
        I16,
        I32,
        I64,
        I128,
        I256;

        /** Fixed width in bytes, 0 for str, 4 for char. */
        int width() {
            return switch (this) {
                case BOOL, U8, I8 -> 1;
                case U16, I16 -> 2;
                case U32, I32, CHAR -> 4;
                case U64, I64 -> 8;
                case U128, I128 -> 16;
                case U256, I256 -> 32;
                case STR -> 0;
            };
        }

        boolean signed() {
            return name().startsWith("I");
        }
    }
}
