//! Text from the input shown in messages: ids, names and tokens are
//! escaped so that no input can forge a line of output (an id holding
//! `"\nerror: everything is fine"`) or send terminal control sequences.

use std::borrow::Cow;
use std::fmt::Write as _;

/// `s` with every control character (newlines, carriage returns, tabs,
/// escape, the C1 range, …) written as a Rust-style escape (`\n`, `\u{1b}`);
/// other text, Unicode included, is unchanged.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            let _ = write!(out, "{}", c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape("T7"), "T7");
        assert_eq!(escape("Müllheim"), "Müllheim");
        assert_eq!(escape("x\nerror: fine\n"), "x\\nerror: fine\\n");
        assert_eq!(escape("a\u{1b}[2Jb\r\t"), "a\\u{1b}[2Jb\\r\\t");
        assert_eq!(escape("\u{85}"), "\\u{85}");
    }
}
