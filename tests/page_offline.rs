//! The plan page served at `GET /` (`src/serve/page/index.html`) is one
//! self-contained file: the machines it runs on are offline, so it must not
//! load scripts, styles, fonts, images or tiles from anywhere. What it looks
//! like and does is tested in headless Chromium by `tests/page/run.sh`; this
//! check needs no browser.

const PAGE: &str = include_str!("../src/serve/page/index.html");

#[test]
fn page_names_no_other_host() {
    for needle in [
        "http://",
        "https://",
        "//cdn",
        "@import",
        "url(",
        "<iframe",
        "<img",
        "<link rel=\"stylesheet\"",
    ] {
        assert!(
            !PAGE.contains(needle),
            "the page must load nothing from elsewhere, found {needle:?}"
        );
    }
    // Scripts and styles are inline.
    assert!(!PAGE.contains("<script src"), "an external script");
    assert!(PAGE.contains("<script>") && PAGE.contains("<style>"));
}

#[test]
fn page_links_stay_on_the_same_origin() {
    // Every href is a path on this server or a data: URL.
    for (i, _) in PAGE.match_indices("href=\"") {
        let rest = &PAGE[i + "href=\"".len()..];
        let url = &rest[..rest.find('"').expect("closed href")];
        assert!(
            (url.starts_with('/') && !url.starts_with("//")) || url.starts_with("data:") || url == "#",
            "href {url:?} leaves the server"
        );
    }
}

#[test]
fn page_talks_to_the_jobs_api() {
    for route in [
        "\"/v1/jobs?\"",
        "\"/v1/jobs/\"",
        "/solution",
        "format=geojson",
        "\"DELETE\"",
    ] {
        assert!(PAGE.contains(route), "the page no longer uses {route}");
    }
}
