/** Prints the wall-clock time at which main started, for start-up measurements (bench only). */
public final class Hello {
    public static void main(String[] args) {
        System.out.println(System.currentTimeMillis());
    }
}
