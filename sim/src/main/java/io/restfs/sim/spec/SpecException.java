package io.restfs.sim.spec;

/** A simulation option that could not be understood; carries the option and the offending text. */
public final class SpecException extends IllegalArgumentException {
    private final String option;
    private final String text;

    public SpecException(String option, String text, String reason) {
        super(option + " '" + text + "': " + reason);
        this.option = option;
        this.text = text;
    }

    public String option() {
        return option;
    }

    public String text() {
        return text;
    }
}
