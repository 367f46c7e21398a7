package dev.socksbridge.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

class ClassFileKeyTest {

    @Test
    void theSameClassWithItsMethodsInAnotherOrderHasTheSameKey() {
        byte[] ab = classWith(List.of("a", "b", "c"), 1);
        byte[] ba = classWith(List.of("c", "a", "b"), 1);
        assertNotEquals(Arrays.toString(ab), Arrays.toString(ba), "the bytes differ, as the JVM's do from run to run");
        assertEquals(ClassFileKey.of(ab), ClassFileKey.of(ba));
    }

    @Test
    void anotherMethodBodyIsAnotherKey() {
        assertNotEquals(ClassFileKey.of(classWith(List.of("a", "b"), 1)), ClassFileKey.of(classWith(List.of("a", "b"), 2)));
    }

    @Test
    void aRealClassFileIsReadToItsEnd() throws Exception {
        byte[] bytes;
        try (var in = String.class.getResourceAsStream("/java/lang/String.class")) {
            bytes = in.readAllBytes(); // longs, doubles, method handles, every kind of constant
        }
        assertEquals(ClassFileKey.of(bytes), ClassFileKey.of(bytes.clone()));
        assertThrows(IllegalArgumentException.class, () -> ClassFileKey.of(Arrays.copyOf(bytes, bytes.length / 2)));
    }

    /** A class whose constant pool is filled in one fixed order, then its methods written in {@code order}. */
    private static byte[] classWith(List<String> order, int returned) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "p/Sample", null, "java/lang/Object", null);
        for (String name : List.of("a", "b", "c", "()I")) {
            writer.newUTF8(name);
        }
        writer.newConst(returned);
        for (String name : order) {
            MethodVisitor method = writer.visitMethod(Opcodes.ACC_STATIC, name, "()I", null, null);
            method.visitCode();
            method.visitLdcInsn(returned);
            method.visitInsn(Opcodes.IRETURN);
            method.visitMaxs(0, 0);
            method.visitEnd();
        }
        writer.visitEnd();
        return writer.toByteArray();
    }
}
