//! Opening hours and the one rule that turns a route into times.
//!
//! Times are seconds on the problem's clock (0 = the start of the planning
//! day). A town may have several opening intervals ([`Window`]); service must
//! *start* inside one of them (the Solomon convention). A vehicle that
//! arrives early waits; a vehicle that would start after the last interval
//! closes is late, and late is infeasible — never a penalty.
//!
//! # The route rule ([`RouteClock`])
//! * The vehicle leaves its depot no earlier than the depot opens, and as late
//!   as it can without making any service late, up to the total waiting the
//!   earliest departure would have (so a route whose first shop opens at
//!   10:00 does not count the hours before as shift time, and a wait for a
//!   later shop is driven off at the start instead: forward time slack, as
//!   PyVRP and Savelsbergh's duration minimisation). Only the interval each
//!   service starts in bounds the delay.
//! * At each stop: arrival = previous departure + travel; service starts at
//!   the arrival or, if no interval is open then, at the opening of the next
//!   interval; departure = start + service time.
//! * The vehicle must be back by the depot's closing time.
//! * The route's duration (what a shift limit bounds) is return − leave.
//!
//! The search, the construction, the schedule written out and the validator
//! all use this one type, so they cannot disagree.

use serde::{Deserialize, Serialize};

/// The end of time for the clock: far beyond any real horizon, yet small
/// enough that sums with travel times never overflow.
pub const END_OF_TIME: i64 = i64::MAX / 64;

/// An interval `[open, close]` in which service may start, seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// Earliest service start.
    pub open: i64,
    /// Latest service start.
    pub close: i64,
}

impl Window {
    /// Always open.
    pub const ALWAYS: Window = Window {
        open: 0,
        close: END_OF_TIME,
    };

    /// True if the window is the unbounded default.
    pub fn is_always(&self) -> bool {
        *self == Window::ALWAYS
    }
}

/// Earliest service start at or after `arrival` inside one of `windows`
/// (sorted, disjoint; empty = always open), or `None` if all have closed.
#[inline]
pub fn earliest_start(windows: &[Window], arrival: i64) -> Option<i64> {
    if windows.is_empty() {
        return Some(arrival);
    }
    windows.iter().find(|w| arrival <= w.close).map(|w| arrival.max(w.open))
}

/// Times of one visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisitTimes {
    /// When the vehicle arrives.
    pub arrival: i64,
    /// When service starts (after any wait).
    pub start: i64,
    /// When the vehicle leaves.
    pub departure: i64,
}

/// Times of a whole route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteTimes {
    /// Leaves the depot.
    pub start: i64,
    /// Back at the depot.
    pub end: i64,
    /// False if some service could not start inside an opening interval or
    /// the vehicle is back after the depot closes.
    pub on_time: bool,
}

impl RouteTimes {
    /// `end - start`: the shift the route takes.
    pub fn duration(&self) -> i64 {
        self.end - self.start
    }
}

/// Walks a route stop by stop under the route rule (module docs).
#[derive(Debug, Clone)]
pub struct RouteClock {
    depot: Window,
    start: Option<i64>,
    now: i64,
    on_time: bool,
    /// Waiting so far (after the first stop, whose wait the start absorbs).
    waited: i64,
    /// How much later the vehicle could leave without a late service.
    room: i64,
    /// The departure is given ([`RouteClock::departing_at`]): no slack.
    fixed: bool,
}

impl RouteClock {
    /// A vehicle ready at a depot with these opening hours.
    #[inline]
    pub fn new(depot: Window) -> RouteClock {
        RouteClock {
            depot,
            start: None,
            now: depot.open,
            on_time: true,
            waited: 0,
            room: END_OF_TIME,
            fixed: false,
        }
    }

    /// A vehicle that leaves a depot with these hours at `departure` (the
    /// schedule's second pass, once [`RouteClock::finish`] chose it).
    #[inline]
    pub fn departing_at(depot: Window, departure: i64) -> RouteClock {
        RouteClock {
            start: Some(departure),
            now: departure,
            fixed: true,
            ..RouteClock::new(depot)
        }
    }

    /// Drives `travel` seconds to the next stop and serves it. A late
    /// service starts at the arrival and marks the route late.
    #[inline]
    pub fn visit(&mut self, travel: i64, service: i64, windows: &[Window]) -> VisitTimes {
        let arrival = self.now.saturating_add(travel);
        let start = match earliest_start(windows, arrival) {
            Some(s) => s,
            None => {
                self.on_time = false;
                arrival
            }
        };
        if self.start.is_none() {
            // Leave later instead of waiting at the first stop.
            self.start = Some(start.saturating_sub(travel).max(self.depot.open));
        }
        let arrival = arrival.max(self.start.unwrap_or(arrival).saturating_add(travel));
        // A later departure is absorbed by the waits so far; it must not
        // push this service past the interval it starts in.
        self.waited = self.waited.saturating_add(start - arrival.min(start));
        let close = windows
            .iter()
            .find(|w| (w.open..=w.close).contains(&start))
            .map_or(END_OF_TIME, |w| w.close);
        self.room = self.room.min(self.waited.saturating_add(close - start));
        self.now = start.saturating_add(service);
        VisitTimes {
            arrival,
            start,
            departure: self.now,
        }
    }

    /// False once some service was late.
    #[inline]
    pub fn on_time(&self) -> bool {
        self.on_time
    }

    /// The clock's time after driving `travel` more seconds (no change).
    #[inline]
    pub fn now_after(&self, travel: i64) -> i64 {
        self.now.saturating_add(travel)
    }

    /// The clock's time: the last departure.
    #[inline]
    pub fn now(&self) -> i64 {
        self.now
    }

    /// The next trip leaves the depot no earlier than `ready` (its goods'
    /// release time): before the first stop, it holds the departure.
    #[inline]
    pub fn not_before(&mut self, ready: i64) {
        self.now = self.now.max(ready);
    }

    /// Drives `travel` seconds back to a depot with `hours`, reloads for
    /// `reload` seconds and leaves again no earlier than `ready` (the next
    /// trip's release). Arriving after the depot closes makes the route
    /// late; the wait for the release is waiting that a later departure
    /// from the start can drive off (forward slack), like a wait at a shop.
    #[inline]
    pub fn reload(&mut self, travel: i64, reload: i64, ready: i64, hours: Window) {
        if self.start.is_none() {
            // Nothing delivered yet: the vehicle simply leaves later.
            self.not_before(ready);
            return;
        }
        let arrival = self.now.saturating_add(travel);
        if arrival > hours.close {
            self.on_time = false;
        }
        let loaded = arrival.max(hours.open).saturating_add(reload);
        let leave = loaded.max(ready);
        self.room = self
            .room
            .min(self.waited.saturating_add(hours.close - arrival.min(hours.close)));
        self.waited = self.waited.saturating_add(leave - loaded);
        self.now = leave;
    }

    /// Drives `travel` seconds back to the depot.
    #[inline]
    pub fn finish(self, travel: i64) -> RouteTimes {
        let slack = if self.fixed || !self.on_time {
            0
        } else {
            self.room.min(self.waited).max(0)
        };
        let start = self.start.map_or(self.depot.open, |s| s.saturating_add(slack));
        let end = if self.start.is_none() {
            start
        } else {
            self.now.saturating_add(travel)
        };
        RouteTimes {
            start,
            end,
            on_time: self.on_time && end <= self.depot.close,
        }
    }
}

/// Checks and normalises a town's opening intervals: each must open before
/// it closes; they are sorted, and overlapping ones merged.
pub fn normalise_windows(mut windows: Vec<Window>) -> std::result::Result<Vec<Window>, String> {
    if let Some(w) = windows.iter().find(|w| w.close < w.open) {
        return Err(format!("window [{}, {}] closes before it opens", w.open, w.close));
    }
    windows.sort_by_key(|w| (w.open, w.close));
    let mut out: Vec<Window> = Vec::with_capacity(windows.len());
    for w in windows {
        match out.last_mut() {
            Some(last) if w.open <= last.close => last.close = last.close.max(w.close),
            _ => out.push(w),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(open: i64, close: i64) -> Window {
        Window { open, close }
    }

    #[test]
    fn service_waits_for_the_next_interval() {
        let ws = [w(100, 200), w(300, 400)];
        assert_eq!(earliest_start(&ws, 50), Some(100));
        assert_eq!(earliest_start(&ws, 150), Some(150));
        assert_eq!(earliest_start(&ws, 250), Some(300));
        assert_eq!(earliest_start(&ws, 401), None);
        assert_eq!(earliest_start(&[], 401), Some(401));
    }

    #[test]
    fn the_vehicle_leaves_late_instead_of_waiting_at_the_first_stop() {
        let mut c = RouteClock::new(w(0, 1000));
        let v = c.visit(10, 5, &[w(100, 200)]);
        assert_eq!((v.arrival, v.start, v.departure), (100, 100, 105));
        let v = c.visit(10, 5, &[w(300, 400)]);
        assert_eq!((v.arrival, v.start, v.departure), (115, 300, 305));
        let t = c.finish(10);
        // Leaving at 190 still starts the first service at 200 (its close)
        // and drives off 100 of the 185 s wait at the second.
        assert_eq!((t.start, t.end, t.duration(), t.on_time), (190, 315, 125, true));
        // Driven from that departure, every stop is on time and the end is the same.
        let mut c = RouteClock::departing_at(w(0, 1000), 190);
        let v = c.visit(10, 5, &[w(100, 200)]);
        assert_eq!((v.arrival, v.start), (200, 200));
        let v = c.visit(10, 5, &[w(300, 400)]);
        assert_eq!((v.arrival, v.start), (215, 300));
        let t = c.finish(10);
        assert_eq!((t.start, t.end, t.on_time), (190, 315, true));
    }

    #[test]
    fn late_service_and_late_return_are_flagged() {
        let mut c = RouteClock::new(w(0, 1000));
        c.visit(500, 0, &[w(0, 100)]);
        assert!(!c.on_time());
        let mut c = RouteClock::new(w(0, 100));
        c.visit(60, 0, &[]);
        assert!(!c.finish(60).on_time);
    }

    #[test]
    fn reloads_wait_for_the_next_trips_release() {
        let depot = w(0, 1000);
        let mut c = RouteClock::new(depot);
        c.not_before(50);
        let v = c.visit(10, 5, &[]);
        assert_eq!((v.arrival, v.start, v.departure), (60, 60, 65));
        // Back at 75, reloaded by 85, the next trip's goods arrive at 200.
        c.reload(10, 10, 200, depot);
        let v = c.visit(10, 5, &[]);
        assert_eq!((v.arrival, v.start), (210, 210));
        let t = c.finish(10);
        // Leaving 115 s later at the start drives off the wait at the depot.
        assert_eq!((t.start, t.end, t.on_time), (165, 225, true));
        let mut c = RouteClock::new(w(0, 70));
        c.visit(10, 5, &[]);
        c.reload(100, 0, 0, w(0, 70));
        assert!(!c.on_time());
    }

    #[test]
    fn an_empty_route_takes_no_time() {
        let t = RouteClock::new(w(50, 100)).finish(7);
        assert_eq!((t.start, t.end, t.on_time), (50, 50, true));
    }

    #[test]
    fn windows_are_sorted_merged_and_checked() {
        assert_eq!(
            normalise_windows(vec![w(300, 400), w(100, 200), w(150, 250)]).unwrap(),
            vec![w(100, 250), w(300, 400)]
        );
        assert!(
            normalise_windows(vec![w(10, 5)])
                .unwrap_err()
                .contains("closes before it opens")
        );
    }
}
