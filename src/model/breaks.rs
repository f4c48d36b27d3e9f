//! Driver breaks: the rest a vehicle type's drivers must take.
//!
//! A vehicle type holds a list of [`BreakRule`]s (empty = no breaks):
//! * [`BreakRule::Window`]: one break of `length_s` that must *start*
//!   inside `window`, if the vehicle is out (left its depot and not back)
//!   at the moment the window opens — a lunch break;
//! * [`BreakRule::Driving`]: no more than `max_driving_s` of driving without
//!   a break of at least `length_s` — e.g. 45 minutes after 4 h 30 of
//!   driving, as the EU drivers' hours rules require. Any break of at least
//!   `length_s`, and any wait at a town (for its opening hours) of at least
//!   `length_s`, resets the count; service time does not.
//!
//! Where the breaks go is the route rule's business
//! ([`super::timing::RouteClock`], see the module docs there). The rules
//! here are plain data, checked by the problem builder
//! ([`check_rules`]): breaks of [`MIN_BREAK_S`] to a week, driving limits of
//! [`MIN_DRIVING_S`] to a week, a window that opens before it closes, at
//! most one driving rule and at most [`MAX_BREAK_RULES`] rules.

use super::timing::Window;
use serde::{Deserialize, Serialize};

/// Most break rules one vehicle type may have.
pub const MAX_BREAK_RULES: usize = 16;

/// Longest break or driving limit accepted, seconds (a week).
pub const MAX_BREAK_S: i64 = 7 * 24 * 3600;

/// Shortest break accepted, seconds (a minute): shorter "breaks" are no
/// rest, only work for the planner.
pub const MIN_BREAK_S: i64 = 60;

/// Shortest driving limit accepted, seconds (15 minutes). With
/// [`super::timing::MAX_BREAKS_PER_ROUTE`] this bounds the breaks a route
/// can take, whatever its legs.
pub const MIN_DRIVING_S: i64 = 15 * 60;

/// One break rule of a vehicle type (module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakRule {
    /// A break of `length_s` starting inside `window` when the vehicle is
    /// out as the window opens.
    Window {
        /// Length of the break, seconds.
        length_s: i64,
        /// When the break may start.
        window: Window,
    },
    /// At most `max_driving_s` of driving between breaks of `length_s`.
    Driving {
        /// Longest continuous driving, seconds.
        max_driving_s: i64,
        /// Shortest rest that resets the count, seconds.
        length_s: i64,
    },
}

impl BreakRule {
    /// Length of the break the rule asks for, seconds.
    pub fn length_s(&self) -> i64 {
        match *self {
            BreakRule::Window { length_s, .. } | BreakRule::Driving { length_s, .. } => length_s,
        }
    }

    /// Which kind of break the rule asks for.
    pub fn kind(&self) -> BreakKind {
        match self {
            BreakRule::Window { .. } => BreakKind::Window,
            BreakRule::Driving { .. } => BreakKind::Driving,
        }
    }
}

/// Which rule a break was taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakKind {
    /// A [`BreakRule::Window`] break.
    Window,
    /// A [`BreakRule::Driving`] break.
    Driving,
}

impl BreakKind {
    /// The spelling in outputs (`window`, `driving`).
    pub fn name(self) -> &'static str {
        match self {
            BreakKind::Window => "window",
            BreakKind::Driving => "driving",
        }
    }
}

/// A break the route rule placed: `[start, end)` on the problem's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TakenBreak {
    /// When the break starts, seconds.
    pub start: i64,
    /// When the driver goes on, seconds.
    pub end: i64,
    /// The rule it was taken for.
    pub kind: BreakKind,
}

/// Checks a vehicle type's rules and puts them in the order the clock
/// reads them (window rules by opening time, then the driving rule).
/// The error names the field and why.
pub fn check_rules(mut rules: Vec<BreakRule>) -> Result<Vec<BreakRule>, (&'static str, String, &'static str)> {
    if rules.len() > MAX_BREAK_RULES {
        return Err(("breaks", rules.len().to_string(), "more than 16 break rules"));
    }
    let length_ok = |v: i64| (MIN_BREAK_S..=MAX_BREAK_S).contains(&v);
    for r in &rules {
        match *r {
            BreakRule::Window { length_s, window } => {
                if !length_ok(length_s) {
                    return Err(("length_s", length_s.to_string(), "a break lasts 60 s to a week"));
                }
                if window.close < window.open {
                    return Err((
                        "window",
                        format!("[{}, {}]", window.open, window.close),
                        "the break window closes before it opens",
                    ));
                }
            }
            BreakRule::Driving {
                max_driving_s,
                length_s,
            } => {
                if !length_ok(length_s) {
                    return Err(("length_s", length_s.to_string(), "a break lasts 60 s to a week"));
                }
                if !(MIN_DRIVING_S..=MAX_BREAK_S).contains(&max_driving_s) {
                    return Err((
                        "after_driving_s",
                        max_driving_s.to_string(),
                        "the driving limit is 15 minutes to a week",
                    ));
                }
            }
        }
    }
    if rules.iter().filter(|r| r.kind() == BreakKind::Driving).count() > 1 {
        return Err(("breaks", rules.len().to_string(), "at most one driving-time rule"));
    }
    rules.sort_by_key(|r| match *r {
        BreakRule::Window { window, length_s } => (0, window.open, window.close, length_s),
        BreakRule::Driving { .. } => (1, 0, 0, 0),
    });
    // A driver takes the window breaks one after the other: each must be
    // able to start in its window after the earlier ones (else every route
    // spanning them is infeasible, and no reason could say why).
    let mut free = i64::MIN;
    for r in &rules {
        if let BreakRule::Window { length_s, window } = *r {
            let at = free.max(window.open);
            if at > window.close {
                return Err((
                    "window",
                    format!("[{}, {}]", window.open, window.close),
                    "the break cannot start in its window after the earlier window breaks",
                ));
            }
            free = at.saturating_add(length_s);
        }
    }
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(open: i64, close: i64, length_s: i64) -> BreakRule {
        BreakRule::Window {
            length_s,
            window: Window { open, close },
        }
    }

    #[test]
    fn rules_are_checked_and_ordered() {
        let driving = BreakRule::Driving {
            max_driving_s: 16_200,
            length_s: 2700,
        };
        let ok = check_rules(vec![driving, window(50, 80, 60), window(10, 20, 60)]).unwrap();
        assert_eq!(ok, vec![window(10, 20, 60), window(50, 80, 60), driving]);
        assert_eq!(check_rules(vec![window(10, 5, 60)]).unwrap_err().0, "window");
        assert_eq!(check_rules(vec![window(0, 5, 0)]).unwrap_err().0, "length_s");
        let zero = BreakRule::Driving {
            max_driving_s: 0,
            length_s: 60,
        };
        assert_eq!(check_rules(vec![zero]).unwrap_err().0, "after_driving_s");
        // The smallest rules that make work for the planner and no rest.
        let tiny = |max_driving_s, length_s| BreakRule::Driving {
            max_driving_s,
            length_s,
        };
        assert_eq!(check_rules(vec![tiny(1, 1)]).unwrap_err().0, "length_s");
        assert_eq!(check_rules(vec![tiny(899, 60)]).unwrap_err().0, "after_driving_s");
        assert_eq!(check_rules(vec![window(0, 5, 59)]).unwrap_err().0, "length_s");
        assert!(check_rules(vec![tiny(MIN_DRIVING_S, MIN_BREAK_S)]).is_ok());
        assert!(
            check_rules(vec![driving, driving])
                .unwrap_err()
                .2
                .contains("one driving")
        );
        assert!(check_rules(vec![window(0, 5, 60); 17]).is_err());
        // Two lunches the driver cannot both take (the second window closes
        // before the first break can end); back to back is fine.
        let clash = check_rules(vec![window(38_280, 38_280, 1260), window(36_300, 36_300, 2040)]);
        assert!(clash.unwrap_err().2.contains("earlier window breaks"));
        assert!(check_rules(vec![window(100, 100, 60), window(160, 160, 60)]).is_ok());
    }
}
