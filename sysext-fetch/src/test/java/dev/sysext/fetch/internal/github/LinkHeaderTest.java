package dev.sysext.fetch.internal.github;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LinkHeaderTest {
    private static HttpHeaders link(String value) {
        return HttpHeaders.of(Map.of("Link", List.of(value)), (a, b) -> true);
    }

    @Test
    void findsNextAmongOtherRelations() {
        URI base = URI.create("https://api.github.com/repos/a/b/releases?per_page=100");
        assertEquals(Optional.of(URI.create("https://api.github.com/repositories/1/releases?per_page=100&page=2")),
                LinkHeader.next(link("<https://api.github.com/repositories/1/releases?per_page=100&page=1>; rel=\"prev\", "
                        + "<https://api.github.com/repositories/1/releases?per_page=100&page=2>; rel=\"next\", "
                        + "<https://api.github.com/repositories/1/releases?per_page=100&page=9>; rel=\"last\""), base));
        assertEquals(Optional.of(URI.create("https://api.github.com/p/3")), LinkHeader.next(link("</p/3>; rel=next"), base));
        assertEquals(Optional.empty(), LinkHeader.next(link("<https://x/1>; rel=\"last\""), base));
        assertEquals(Optional.empty(), LinkHeader.next(HttpHeaders.of(Map.of(), (a, b) -> true), base));
    }
}
