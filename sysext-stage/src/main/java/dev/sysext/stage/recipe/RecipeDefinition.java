package dev.sysext.stage.recipe;

import dev.sysext.stage.Architecture;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A declarative recipe as read from its {@code recipe.toml}: where versions come from, the
 * architectures, the inputs with their verification and layout, and the static files. The README's
 * "Recipe format" section is the reference for every key; {@link DeclarativeRecipe} builds from it.
 *
 * @param name the extension's name
 * @param description what the extension ships, one line
 * @param versions where the extension's versions come from
 * @param architectures the supported architectures and their upstream names ({@code amd64})
 * @param archNames more upstream names per architecture, each a template variable
 *     ({@code suffix} → {@code ""} / {@code "-arm64"} for k3s' asset names)
 * @param keys the OpenPGP key sets signatures are checked against, by name
 * @param inputs the artifacts, in the order they are laid out
 * @param files the static files, in the order they are laid out
 * @param links the symbolic links, laid out after the files
 * @param check how the catalog test runs the payload, if given
 * @param directory the recipe's directory (holding {@code recipe.toml} and {@code files/})
 */
public record RecipeDefinition(String name, String description, VersionSource versions,
                               Map<Architecture, String> architectures, Map<String, Map<Architecture, String>> archNames,
                               Map<String, KeySet> keys, List<Input> inputs,
                               List<StaticFile> files, List<Link> links, Optional<SmokeTest> check,
                               Path directory) {
    /** The recipe file's name in a recipe directory. */
    public static final String FILE_NAME = "recipe.toml";
    /** The directory of static files in a recipe directory. */
    public static final String FILES_DIRECTORY = "files";

    /** Copies the collections. */
    public RecipeDefinition {
        Objects.requireNonNull(name);
        Objects.requireNonNull(description);
        Objects.requireNonNull(versions);
        Objects.requireNonNull(check);
        Objects.requireNonNull(directory);
        architectures = Map.copyOf(architectures);
        archNames = Map.copyOf(archNames);
        keys = Map.copyOf(keys);
        inputs = List.copyOf(inputs);
        files = List.copyOf(files);
        links = List.copyOf(links);
    }

    /** Where versions come from. */
    public sealed interface VersionSource {
        /** A short description for listings ({@code GitHub releases of containerd/containerd}). */
        String describe();
    }

    /**
     * Releases of a GitHub repository: no drafts, no pre-releases unless {@code preReleases}, only
     * tags matching {@code tagPattern} in full; the version is the tag without {@code prefix}.
     *
     * @param repository {@code OWNER/REPO}
     * @param prefix stripped from tags to give the version ({@code v}); put back to make {@code {tag}}
     * @param tagPattern the tags that count
     * @param preReleases whether pre-releases count
     */
    public record GitHubReleases(String repository, String prefix, Pattern tagPattern, boolean preReleases)
            implements VersionSource {
        /** The owner part of the repository. */
        public String owner() {
            return repository.substring(0, repository.indexOf('/'));
        }

        /** The repository name part. */
        public String repo() {
            return repository.substring(repository.indexOf('/') + 1);
        }

        @Override
        public String describe() {
            return "GitHub releases of " + repository;
        }
    }

    /**
     * HashiCorp's releases API ({@code https://api.releases.hashicorp.com/v1/releases/PRODUCT}),
     * without pre-releases.
     *
     * @param product the product name ({@code consul})
     */
    public record HashiCorpReleases(String product) implements VersionSource {
        @Override
        public String describe() {
            return "HashiCorp's releases API (" + product + ")";
        }
    }

    /**
     * A listing page (an HTML index such as Docker's static downloads): every match of
     * {@code pattern}'s first group is a version.
     *
     * @param url the page; may use {@code {arch}} (the first architecture's upstream name)
     * @param pattern a regular expression whose first group is the version
     */
    public record Listing(Template url, Pattern pattern) implements VersionSource {
        @Override
        public String describe() {
            return "the listing " + url.text();
        }
    }

    /**
     * For an input only: the version is the first match of {@code pattern} in the document at
     * {@code url} (containerd's {@code script/setup/runc-version}).
     *
     * @param url the document, a template over the extension's version
     * @param pattern what a version looks like; the whole match (or its first group) is the version
     */
    public record Document(Template url, Pattern pattern) implements VersionSource {
        @Override
        public String describe() {
            return "pinned in " + url.text();
        }
    }

    /**
     * One artifact: where it is, how it is verified, and where its content goes.
     *
     * @param name the input's name, recorded in the build manifest ({@code runc})
     * @param url where it is, a template
     * @param version where the input's own version comes from; empty: the extension's version
     * @param archive the archive format, empty for a single file
     * @param stripComponents leading path components dropped from archive members
     * @param layout for archives: which members go where
     * @param to for single files: the path in the image
     * @param executable for single files: 0755 (true) or 0644
     * @param verify the checks; all must pass, and there is at least one
     * @param versions the extension versions the input is for (an upstream that changed its archive
     *     format is two inputs with disjoint ranges)
     */
    public record Input(String name, Template url, Optional<VersionSource> version, Optional<ArchiveFormat> archive,
                        int stripComponents, List<Placement> layout, Optional<String> to, boolean executable,
                        List<Check> verify, VersionRange versions) {
        /** Copies the lists. */
        public Input {
            layout = List.copyOf(layout);
            verify = List.copyOf(verify);
        }

        /** How the input is verified, for listings: its checks joined with {@code " + "}. */
        public String describeVerification() {
            return String.join(" + ", verify.stream().map(Check::describe).toList());
        }

        /** Whether nothing verifies this input ({@code kind = "none"}). */
        public boolean unverified() {
            return verify.stream().allMatch(c -> c instanceof None);
        }
    }

    /** The archive formats an input can have. */
    public enum ArchiveFormat {
        /** Uncompressed tar. */
        TAR("tar"),
        /** gzip-compressed tar ({@code .tar.gz}, {@code .tgz}). */
        TAR_GZ("tar.gz"),
        /** xz-compressed tar. */
        TAR_XZ("tar.xz"),
        /** zstd-compressed tar. */
        TAR_ZST("tar.zst"),
        /** zip. */
        ZIP("zip");

        private final String key;

        ArchiveFormat(String key) {
            this.key = key;
        }

        /** The name in recipes ({@code tar.gz}). */
        public String key() {
            return key;
        }

        /** The format called {@code key} in recipes. */
        public static Optional<ArchiveFormat> of(String key) {
            for (ArchiveFormat f : values()) {
                if (f.key.equals(key)) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Archive members matching {@code from} go to {@code to}: under it, keeping their path below the
     * glob's fixed directories, when it ends with {@code /}; else exactly there (then the glob must
     * match one member). At least one member must match.
     *
     * @param from the members
     * @param to the image path or directory
     * @param executable forces 0755 (true) or 0644 (false); empty keeps the archive's execute bits
     */
    public record Placement(MemberGlob from, String to, Optional<Boolean> executable) {
        /** Whether {@code to} is a directory. */
        public boolean toDirectory() {
            return to.endsWith("/");
        }
    }

    /** One way an input is verified. */
    public sealed interface Check {
        /** The kind as recipes write it ({@code checksum}). */
        String kind();

        /** What the check is, for listings ({@code checksum file clear-signed by the runc keys}). */
        String describe();
    }

    /** Checksum file formats, as upstream publishes them. */
    public enum ChecksumFormat {
        /** {@code sha256sum} output: {@code <hex>  NAME} lines. */
        GNU,
        /** {@code SHA256 (NAME) = <hex>} lines. */
        BSD,
        /** The hash alone (Kubernetes' {@code .sha256}). */
        BARE
    }

    /**
     * A checksum file with an entry for the input; when {@code clearSignedBy} is set it must be
     * clear-signed by that key set, when {@code signature} is set it must have that detached
     * signature by {@code signedBy}.
     *
     * @param url the checksum file, a template ({@code {url}.sha256sum})
     * @param format how upstream writes it (the test fixtures follow it)
     * @param entry the name to look up, a template ({@code {file}} by default)
     * @param clearSignedBy a key set that clear-signed the file
     * @param signature a detached signature over the file
     * @param signedBy the key set that made {@code signature}
     */
    public record ChecksumFile(Template url, ChecksumFormat format, Template entry, Optional<String> clearSignedBy,
                               Optional<Template> signature, Optional<String> signedBy) implements Check {
        @Override
        public String kind() {
            return "checksum";
        }

        @Override
        public String describe() {
            return format.name().toLowerCase(java.util.Locale.ROOT) + " checksum file"
                    + clearSignedBy.map(k -> " clear-signed by the " + k + " keys").orElse("")
                    + signedBy.map(k -> " signed by the " + k + " keys").orElse("");
        }
    }

    /**
     * A detached OpenPGP signature over the input.
     *
     * @param url the signature, a template ({@code {url}.asc})
     * @param signedBy the key set one of whose keys must have made it
     */
    public record Signature(Template url, String signedBy) implements Check {
        @Override
        public String kind() {
            return "signature";
        }

        @Override
        public String describe() {
            return "OpenPGP signature by the " + signedBy + " keys";
        }
    }

    /** The {@code digest} the GitHub releases API reports for the asset (the input's URL is a release download). */
    public record GitHubDigest() implements Check {
        @Override
        public String kind() {
            return "github-digest";
        }

        @Override
        public String describe() {
            return "GitHub's asset digest";
        }
    }

    /** Nothing verifies the input: refused unless the user passes {@code --allow-unverified}. */
    public record None() implements Check {
        @Override
        public String kind() {
            return "none";
        }

        @Override
        public String describe() {
            return "NOTHING (upstream publishes no checksum; needs --allow-unverified)";
        }
    }

    /**
     * OpenPGP keys a signature may be made with.
     *
     * @param name the set's name in the recipe ({@code runc})
     * @param fingerprints the trusted primary key fingerprints
     * @param keyringUrl where the keyring is published, or
     * @param keyringFile a keyring file bundled with the recipe, relative to its directory
     */
    public record KeySet(String name, List<String> fingerprints, Optional<URI> keyringUrl, Optional<String> keyringFile) {
        /** Copies the list. */
        public KeySet {
            fingerprints = List.copyOf(fingerprints);
        }
    }

    /**
     * A static file of the recipe ({@code files/SOURCE}) placed in the image.
     *
     * @param source its path below {@code files/}
     * @param to its path in the image
     * @param executable 0755 (true) or 0644
     * @param template whether {@code {version}}, {@code {arch}} ... are replaced in its content
     * @param versions the extension versions it is for
     */
    public record StaticFile(String source, String to, boolean executable, boolean template, VersionRange versions) {
    }

    /**
     * A symbolic link in the image ({@code usr/bin/kubectl -> k3s}).
     *
     * @param path its path in the image
     * @param target what it points to, stored as given (relative targets stay inside the image)
     * @param versions the extension versions it is for
     */
    public record Link(String path, String target, VersionRange versions) {
    }

    /**
     * How the catalog test runs the payload once the image is merged.
     *
     * @param version a version the recipe builds (the fixtures are made for it)
     * @param command the image path of the main binary, then its arguments; it must print the version
     *     (empty for payloads without a program, such as WebAssembly modules)
     * @param files image paths that must exist once the image is merged
     */
    public record SmokeTest(String version, List<String> command, List<String> files) {
        /** Copies the lists. */
        public SmokeTest {
            command = List.copyOf(command);
            files = List.copyOf(files);
        }
    }
}
