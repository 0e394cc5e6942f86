package dev.sysext.sysupdate;

import dev.sysext.sysupdate.internal.YamlWriter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Butane config ({@code variant: flatcar}, {@code version: 1.1.0}, for Ignition 3.4) that deploys
 * one extension and keeps it updated: it downloads the image into the sysupdate target directory
 * (checked against its SHA-512), links {@code /etc/extensions/NAME.raw} to it, masks Flatcar's
 * built-in images that would conflict, installs the sysupdate transfer, keyring and service drop-in,
 * and enables {@code systemd-sysupdate.timer} and the extension's units.
 *
 * @param image            the image deployed first
 * @param imageSha512      the image's SHA-512 digest (64 bytes)
 * @param dropIn           the update drop-in, which carries the transfer
 * @param transferSuffix   install the transfer as {@code .transfer} (systemd 257+) instead of {@code .conf}
 * @param keyring          the binary public keyring for {@code /etc/systemd/import-pubring.gpg}; needed
 *                         when the transfer verifies signatures
 * @param maskedImages     names of built-in extensions to mask, e.g. {@code containerd-flatcar}
 * @param enabledUnits     units to enable, e.g. {@code containerd.service}
 * @param containerdConfig text for {@code /etc/containerd/config.toml}
 */
public record ButaneConfig(ImageName image, byte[] imageSha512, UpdateDropIn dropIn, boolean transferSuffix,
        Optional<byte[]> keyring, List<String> maskedImages, List<String> enabledUnits,
        Optional<String> containerdConfig) {
    /** Where systemd-sysupdate and machinectl look for trusted keys first. */
    public static final String KEYRING_PATH = "/etc/systemd/import-pubring.gpg";
    /** 0644. */
    private static final int MODE_FILE = 0644;

    /** Checks that the image, transfer and keyring fit together. */
    public ButaneConfig {
        if (imageSha512.length != 64) {
            throw new IllegalArgumentException("a SHA-512 digest has 64 bytes, not " + imageSha512.length);
        }
        imageSha512 = imageSha512.clone();
        keyring = keyring.map(byte[]::clone);
        maskedImages = List.copyOf(maskedImages);
        enabledUnits = List.copyOf(enabledUnits);
        TransferDefinition t = dropIn.transfer();
        if (!t.component().equals(image.name())) {
            throw new IllegalArgumentException("the image " + image.fileName() + " is not of the extension "
                    + t.component());
        }
        if (!t.follows(image.version())) {
            throw new IllegalArgumentException("version " + image.version() + " is not in the "
                    + t.minorLine().orElse("") + " line the transfer follows");
        }
        if (t.verify() && keyring.isEmpty()) {
            throw new IllegalArgumentException("the transfer verifies signatures, so the host needs the keyring");
        }
    }

    @Override
    public byte[] imageSha512() {
        return imageSha512.clone();
    }

    @Override
    public Optional<byte[]> keyring() {
        return keyring.map(byte[]::clone);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ButaneConfig b && b.render().equals(render());
    }

    @Override
    public int hashCode() {
        return render().hashCode();
    }

    @Override
    public String toString() {
        return "ButaneConfig[" + image.fileName() + "]";
    }

    /** The Butane YAML. */
    public String render() {
        TransferDefinition t = dropIn.transfer();
        String imagePath = t.targetDirectory() + "/" + image.fileName();

        List<Object> files = new ArrayList<>();
        files.add(file(imagePath, MODE_FILE, contents(
                "source", t.sourceUrl() + "/" + image.fileName(),
                "verification", map("hash", "sha512-" + HexFormat.of().formatHex(imageSha512)))));
        OutputFile transferFile = t.file(transferSuffix);
        files.add(file("/etc/" + transferFile.relativePath(), MODE_FILE, map("inline", transferFile.text())));
        OutputFile noop = NoopDefinition.file();
        files.add(file("/etc/" + noop.relativePath(), MODE_FILE, map("inline", noop.text())));
        keyring.ifPresent(k -> files.add(file(KEYRING_PATH, MODE_FILE,
                map("source", "data:;base64," + Base64.getEncoder().encodeToString(k)))));
        containerdConfig.ifPresent(c -> files.add(file("/etc/containerd/config.toml", MODE_FILE,
                map("inline", c))));

        List<Object> links = new ArrayList<>();
        links.add(map("path", t.currentSymlink(), "target", imagePath, "hard", false));
        for (String masked : maskedImages) {
            links.add(map("path", "/etc/extensions/" + masked + ".raw", "target", "/dev/null",
                    "hard", false, "overwrite", true));
        }

        List<Object> units = new ArrayList<>();
        units.add(map("name", "systemd-sysupdate.timer", "enabled", true));
        units.add(map("name", "systemd-sysupdate.service",
                "dropins", List.of(map("name", dropIn.name(), "contents", dropIn.render()))));
        for (String unit : enabledUnits) {
            units.add(map("name", unit, "enabled", true));
        }

        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("variant", "flatcar");
        doc.put("version", "1.1.0");
        doc.put("storage", map("files", files, "links", links));
        doc.put("systemd", map("units", units));
        return "# Generated by sysext: deploys the " + t.component() + " extension " + image.version()
                + " and keeps it updated with systemd-sysupdate.\n" + YamlWriter.write(doc);
    }

    private static Map<String, Object> file(String path, int mode, Map<String, Object> contents) {
        return map("path", path, "mode", mode, "contents", contents);
    }

    private static Map<String, Object> contents(Object... keysAndValues) {
        return map(keysAndValues);
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
