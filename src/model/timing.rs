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
//!   service starts in bounds the delay. (Drivers with breaks: see below.)
//! * At each stop: arrival = previous departure + travel; service starts at
//!   the arrival or, if no interval is open then, at the opening of the next
//!   interval; departure = start + service time.
//! * The vehicle must be back by the depot's closing time.
//! * The route's duration (what a shift limit bounds) is return − leave.
//!
//! The search, the construction and the schedule written out use this one
//! type, so they cannot disagree (the validator re-derives the rule itself).
//!
//! # Driver breaks ([`RouteClock::with_breaks`])
//! A vehicle type may have break rules ([`super::breaks`]). The clock then
//! places the breaks while it drives, the driver's first choice at the
//! earliest moment each rule demands:
//! * The vehicle leaves when its depot opens (or at the given departure),
//!   or when the first trip's goods are released if that is later: no
//!   forward slack, so the breaks' places do not depend on a departure
//!   chosen afterwards. A one-trip route that is then over its shift is
//!   walked again from later departures ([`shortest_with_breaks`]) and
//!   leaves at the one with the shortest on-time schedule found.
//! * A route takes at most [`MAX_BREAKS_PER_ROUTE`] breaks: one that needs
//!   more is infeasible (the clock stops placing them past the first one
//!   beyond), so no rule and no leg makes a route's work unbounded.
//! * Breaks are taken on the road: a break due part-way through a leg
//!   splits it (drive until the break, pause, drive on), so a stop's
//!   arrival comes after the breaks of its leg.
//! * Driving rule: once `max_driving_s` of driving since the last rest is
//!   reached and more driving is ahead, the driver takes a break of
//!   `length_s` (at the start of a leg when the limit was reached exactly
//!   at the last stop). A break of at least `length_s` (of any rule) or a
//!   wait at a town of at least `length_s` resets the count; service does
//!   not.
//! * Window rule: it applies if the vehicle is out when the window opens
//!   (`start <= open < end` for the route's leave and return). The break
//!   starts at the first moment at or after the opening at which the
//!   driver is not serving: on a leg (`max(leg start, open)`, if that is
//!   before the leg ends), else in the wait at the next town if the window
//!   opens by the time service would start there (the break starts at
//!   `max(arrival, open)`; service then starts at the town's first opening
//!   at or after the break's end), else at the next departure. A break that
//!   cannot start by the window's close makes the route infeasible (not on
//!   time). On ties the window break comes first, then a driving break if
//!   still due.
//!
//! Without break rules none of this costs anything: the clock is the rule
//! above.
//!
//! # Trips and release times ([`RouteClock::reload`], [`RouteClock::not_before`])
//! A route of a type with reload depots is a sequence of trips. Each trip
//! leaves no earlier than the latest release time of its towns' goods (the
//! first trip's departure, then each reload's). At a reload the vehicle
//! drives back to the depot (it must arrive before the depot closes),
//! reloads for the type's reload time from the depot's opening at the
//! earliest, then waits for the next trip's goods; that wait is waiting
//! like a wait at a shop (forward slack may drive it off by leaving the
//! first depot later). A driver with breaks drives the legs to and from a
//! reload depot like any other (breaks split them); the time at the depot
//! beyond the reload itself is a wait, which resets the driving count when
//! it is at least the rule's length (loading does not), and a window break
//! due while at the depot is taken at the departure.

use super::breaks::{BreakKind, BreakRule, TakenBreak};
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
pub struct RouteClock<'r> {
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
    /// Break rules (empty = none), window rules first by opening.
    breaks: &'r [BreakRule],
    /// The driving rule's `(max_driving_s, length_s)`, if any.
    rest: Option<(i64, i64)>,
    /// Driving since the last rest that counts for the driving rule.
    driven: i64,
    /// Window rules still to take: bit `k` for `breaks[k]`.
    pending: u32,
    /// Some window break could not start by its window's close, or the
    /// route needs more than [`MAX_BREAKS_PER_ROUTE`] breaks.
    missed: bool,
    /// Breaks taken so far.
    taken: u32,
}

/// Most breaks one route may take. The clock stops placing breaks after
/// the first one beyond it (so a route's work and output stay bounded,
/// whatever the rules and legs) and the route is infeasible.
pub const MAX_BREAKS_PER_ROUTE: u32 = 256;

/// Legs longer than this take no breaks (they are unreachable anyway).
const LONGEST_BREAKING_LEG: i64 = 1 << 40;

impl<'r> RouteClock<'r> {
    /// A vehicle ready at a depot with these opening hours.
    #[inline]
    pub fn new(depot: Window) -> RouteClock<'r> {
        RouteClock {
            depot,
            start: None,
            now: depot.open,
            on_time: true,
            waited: 0,
            room: END_OF_TIME,
            fixed: false,
            breaks: &[],
            rest: None,
            driven: 0,
            pending: 0,
            missed: false,
            taken: 0,
        }
    }

    /// A vehicle that leaves a depot with these hours at `departure` (the
    /// schedule's second pass, once [`RouteClock::finish`] chose it).
    #[inline]
    pub fn departing_at(depot: Window, departure: i64) -> RouteClock<'r> {
        RouteClock {
            start: Some(departure),
            now: departure,
            fixed: true,
            ..RouteClock::new(depot)
        }
    }

    /// The same clock, its driver following `rules` (checked and ordered by
    /// [`super::breaks::check_rules`]; see the module docs). With rules the
    /// vehicle leaves now: when the depot opens, or at the given departure.
    pub fn with_breaks(mut self, rules: &'r [BreakRule]) -> RouteClock<'r> {
        if rules.is_empty() {
            return self;
        }
        self.breaks = rules;
        self.leave_with_breaks(self.start.unwrap_or(self.now));
        self
    }

    /// A driver with breaks leaves at `start`: the window rules still to
    /// take are those opening from then on.
    fn leave_with_breaks(&mut self, start: i64) {
        let rules = self.breaks;
        self.start = Some(start);
        self.now = start;
        self.fixed = true;
        self.pending = 0;
        for (k, r) in rules.iter().enumerate().take(32) {
            match *r {
                BreakRule::Window { window, .. } if window.open >= start => self.pending |= 1 << k,
                BreakRule::Window { .. } => {}
                BreakRule::Driving {
                    max_driving_s,
                    length_s,
                } => self.rest = Some((max_driving_s, length_s)),
            }
        }
    }

    /// False once some window break could not start inside its window.
    #[inline]
    pub fn breaks_kept(&self) -> bool {
        !self.missed
    }

    /// False once some service was late (breaks aside).
    #[inline]
    pub fn services_on_time(&self) -> bool {
        self.on_time
    }

    /// Drives `travel` seconds to the next stop and serves it. A late
    /// service starts at the arrival and marks the route late.
    #[inline]
    pub fn visit(&mut self, travel: i64, service: i64, windows: &[Window]) -> VisitTimes {
        if !self.breaks.is_empty() {
            return self.visit_breaking(travel, service, windows, &mut |_| {});
        }
        self.visit_plain(travel, service, windows)
    }

    /// [`RouteClock::visit`], telling `note` every break taken on the way
    /// and in the wait.
    #[inline]
    pub fn visit_noting(
        &mut self,
        travel: i64,
        service: i64,
        windows: &[Window],
        note: &mut impl FnMut(TakenBreak),
    ) -> VisitTimes {
        if !self.breaks.is_empty() {
            return self.visit_breaking(travel, service, windows, note);
        }
        self.visit_plain(travel, service, windows)
    }

    /// The next window rule still to take: `(bit, length, window)`.
    #[inline]
    fn next_window(&self) -> Option<(usize, i64, Window)> {
        if self.pending == 0 {
            return None;
        }
        let k = self.pending.trailing_zeros() as usize;
        match self.breaks[k] {
            BreakRule::Window { length_s, window } => Some((k, length_s, window)),
            BreakRule::Driving { .. } => None,
        }
    }

    /// Takes window break `k` at `at` (or misses it if its window has
    /// closed); returns when the driver goes on.
    fn take_window(
        &mut self,
        (k, length, window): (usize, i64, Window),
        at: i64,
        note: &mut impl FnMut(TakenBreak),
    ) -> i64 {
        self.pending &= !(1 << k);
        if at > window.close {
            self.missed = true;
            return at;
        }
        let end = at.saturating_add(length);
        self.note_break(
            TakenBreak {
                start: at,
                end,
                kind: BreakKind::Window,
            },
            note,
        );
        if self.rest.is_some_and(|(_, rest)| length >= rest) {
            self.driven = 0;
        }
        end
    }

    /// Tells `note` of a break taken; past [`MAX_BREAKS_PER_ROUTE`] the
    /// route is infeasible (the first break beyond is still told).
    fn note_break(&mut self, b: TakenBreak, note: &mut impl FnMut(TakenBreak)) {
        self.taken += 1;
        if self.taken > MAX_BREAKS_PER_ROUTE {
            self.missed = true;
        }
        note(b);
    }

    /// Drives a leg of `travel` from `self.now` with the breaks it needs;
    /// returns the arrival.
    fn drive(&mut self, travel: i64, note: &mut impl FnMut(TakenBreak)) -> i64 {
        let (mut t, mut left) = (self.now, travel);
        if travel >= LONGEST_BREAKING_LEG {
            return t.saturating_add(travel);
        }
        loop {
            if self.taken > MAX_BREAKS_PER_ROUTE {
                // Infeasible already: no more breaks are placed.
                self.driven += left;
                return t.saturating_add(left);
            }
            let window = self.next_window().filter(|&(_, _, w)| w.open < t + left);
            let driving = self
                .rest
                .filter(|&(max, _)| self.driven + left > max)
                .map(|(max, len)| (t + (max - self.driven).max(0), len));
            match (window, driving) {
                (Some(w), d) if d.is_none_or(|(at, _)| t.max(w.2.open) <= at) => {
                    let at = t.max(w.2.open);
                    self.driven += at - t;
                    left -= at - t;
                    t = self.take_window(w, at, note);
                }
                (_, Some((at, len))) => {
                    self.driven += at - t;
                    left -= at - t;
                    self.note_break(
                        TakenBreak {
                            start: at,
                            end: at + len,
                            kind: BreakKind::Driving,
                        },
                        note,
                    );
                    t = at + len;
                    self.driven = 0;
                }
                _ => {
                    self.driven += left;
                    return t + left;
                }
            }
        }
    }

    /// [`RouteClock::visit`] for a driver with break rules (module docs).
    fn visit_breaking(
        &mut self,
        travel: i64,
        service: i64,
        windows: &[Window],
        note: &mut impl FnMut(TakenBreak),
    ) -> VisitTimes {
        let arrival = self.drive(travel, note);
        let serve_at = |from: i64, on_time: &mut bool| match earliest_start(windows, from) {
            Some(s) => s,
            None => {
                *on_time = false;
                from
            }
        };
        let mut start = serve_at(arrival, &mut self.on_time);
        // Window breaks due by the time service would start: in the wait,
        // one after the other.
        let mut free = arrival;
        while let Some(w) = self.next_window().filter(|&(_, _, w)| w.open <= start) {
            let end = self.take_window(w, free.max(w.2.open), note);
            free = end;
            if end > start {
                start = serve_at(end, &mut self.on_time);
            }
        }
        if self.rest.is_some_and(|(_, rest)| start - arrival >= rest) {
            self.driven = 0;
        }
        self.now = start.saturating_add(service);
        VisitTimes {
            arrival,
            start,
            departure: self.now,
        }
    }

    /// The rule without breaks.
    #[inline]
    fn visit_plain(&mut self, travel: i64, service: i64, windows: &[Window]) -> VisitTimes {
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

    /// False once some service was late or some break missed.
    #[inline]
    pub fn on_time(&self) -> bool {
        self.on_time && !self.missed
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
        if !self.breaks.is_empty() && self.start == Some(self.now) && self.taken == 0 && ready > self.now {
            // A driver with breaks leaves when the goods are there: the
            // shift, and the windows that apply, start then.
            self.leave_with_breaks(ready);
        }
        self.now = self.now.max(ready);
    }

    /// Drives `travel` seconds back to a depot with `hours`, reloads for
    /// `reload` seconds and leaves again no earlier than `ready` (the next
    /// trip's release). Arriving after the depot closes makes the route
    /// late; the wait for the release is waiting that a later departure
    /// from the start can drive off (forward slack), like a wait at a shop.
    #[inline]
    pub fn reload(&mut self, travel: i64, reload: i64, ready: i64, hours: Window) {
        self.reload_noting(travel, reload, ready, hours, &mut |_| {});
    }

    /// [`RouteClock::reload`], telling `note` the breaks of the way to the
    /// depot; returns the arrival there. A driver with breaks drives that
    /// leg like any other (breaks split it); the time at the depot beyond
    /// the reload itself is a wait, and a wait of at least the driving
    /// rule's length resets its count (loading does not).
    pub fn reload_noting(
        &mut self,
        travel: i64,
        reload: i64,
        ready: i64,
        hours: Window,
        note: &mut impl FnMut(TakenBreak),
    ) -> i64 {
        if self.start.is_none() {
            // Nothing delivered yet: the vehicle simply leaves later.
            self.not_before(ready);
            return self.now;
        }
        let arrival = if self.breaks.is_empty() {
            self.now.saturating_add(travel)
        } else {
            self.drive(travel, note)
        };
        if arrival > hours.close {
            self.on_time = false;
        }
        let loaded = arrival.max(hours.open).saturating_add(reload);
        let leave = loaded.max(ready);
        if self
            .rest
            .is_some_and(|(_, rest)| leave.saturating_sub(arrival).saturating_sub(reload) >= rest)
        {
            self.driven = 0;
        }
        self.room = self
            .room
            .min(self.waited.saturating_add(hours.close - arrival.min(hours.close)));
        self.waited = self.waited.saturating_add(leave - loaded);
        self.now = leave;
        arrival
    }

    /// Drives `travel` seconds back to the depot.
    #[inline]
    pub fn finish(self, travel: i64) -> RouteTimes {
        self.finish_noting(travel, &mut |_| {})
    }

    /// [`RouteClock::finish`], telling `note` the breaks of the way back.
    #[inline]
    pub fn finish_noting(mut self, travel: i64, note: &mut impl FnMut(TakenBreak)) -> RouteTimes {
        if !self.breaks.is_empty() {
            let start = self.start.unwrap_or(self.now);
            let end = self.drive(travel, note);
            return RouteTimes {
                start,
                end,
                on_time: self.on_time && !self.missed && end <= self.depot.close,
            };
        }
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

/// The shortest on-time schedule of a route whose stops may have several
/// opening intervals, as [`RouteClock`] times it when the vehicle is ready
/// from a given moment: `walk(depot)` times the route with the depot's
/// hours opening then (forward slack included). The route rule's own
/// departure keeps every service in the interval it starts in; a later one
/// may move a service to a later interval and save more waiting than that
/// costs (a shop open 7:00–7:30 and 12:00–18:00 before one that opens at
/// 13:00). Each call explores one such piece of departures: it returns the
/// latest departure of its piece (the least waiting there), and the next
/// piece starts a second later. `pieces` bounds the calls (the stops'
/// intervals in all, plus one); the shortest duration wins, the earliest on
/// ties. Later departures never make a late route on time, so the first
/// late piece ends the search.
pub fn shortest_schedule(depot: Window, pieces: usize, mut walk: impl FnMut(Window) -> RouteTimes) -> RouteTimes {
    let mut best = walk(depot);
    let mut last = best;
    for _ in 1..pieces {
        if !last.on_time || last.start >= depot.close {
            break;
        }
        let next = walk(Window {
            open: last.start + 1,
            close: depot.close,
        });
        if !next.on_time {
            break;
        }
        if next.duration() < best.duration() {
            best = next;
        }
        last = next;
    }
    best
}

/// Halvings of the departure interval [`shortest_with_breaks`] tries.
const BREAK_DEPARTURE_HALVINGS: u32 = 10;

/// The shortest on-time schedule found for a route whose driver takes
/// breaks, whose rule's own departure (`first`, leaving as early as it
/// may) is over the shift. With breaks there is no forward slack (the
/// breaks' places depend on the departure), so later departures are walked
/// one by one: `walk(d)` times the route leaving at `d`. The latest
/// departure that keeps the route on time drives off the waiting; it is
/// searched by halving between `first.start` and `first.start +
/// first.duration()` (no later departure saves more), and the shortest of
/// every on-time schedule walked wins, the earliest on ties. At most
/// `2 + BREAK_DEPARTURE_HALVINGS` walks, so a route costs O(length) still.
pub fn shortest_with_breaks(first: RouteTimes, mut walk: impl FnMut(i64) -> RouteTimes) -> RouteTimes {
    if !first.on_time {
        return first;
    }
    let mut best = first;
    let keep = |t: RouteTimes, best: &mut RouteTimes| {
        if t.on_time && t.duration() < best.duration() {
            *best = t;
        }
    };
    let (mut early, mut late) = (first.start, first.start.saturating_add(first.duration()));
    let last = walk(late);
    if last.on_time {
        keep(last, &mut best);
        return best;
    }
    for _ in 0..BREAK_DEPARTURE_HALVINGS {
        if late - early <= 1 {
            break;
        }
        let mid = early + (late - early) / 2;
        let t = walk(mid);
        if t.on_time {
            keep(t, &mut best);
            early = mid;
        } else {
            late = mid;
        }
    }
    best
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
    fn the_shortest_schedule_may_serve_a_stop_in_a_later_interval() {
        // 10 s legs; A open 100-130 or 1000-5000, B opens at 2000.
        let a = [w(100, 130), w(1000, 5000)];
        let b = [w(2000, 9000)];
        let walk = |depot: Window| {
            let mut c = RouteClock::new(depot);
            c.visit(10, 5, &a);
            c.visit(10, 5, &b);
            c.finish(10)
        };
        let depot = w(0, 10_000);
        // The rule's own departure keeps A in its first interval: leave at
        // 120 (A at 130), then wait at B until 2000.
        let quick = walk(depot);
        assert_eq!((quick.start, quick.end), (120, 2015));
        // Serving A in its second interval waits less: leave when B's
        // opening allows (1975: A at 1985, B at 2000).
        let best = shortest_schedule(depot, 4, walk);
        assert_eq!((best.start, best.end, best.on_time), (1975, 2015, true));
        // A route late from the start stays late.
        let late = shortest_schedule(w(0, 100), 4, walk);
        assert!(!late.on_time);
    }

    #[test]
    fn an_empty_route_takes_no_time() {
        let t = RouteClock::new(w(50, 100)).finish(7);
        assert_eq!((t.start, t.end, t.on_time), (50, 50, true));
    }

    const DRIVING: BreakRule = BreakRule::Driving {
        max_driving_s: 16_200,
        length_s: 2700,
    };

    fn lunch(open: i64, close: i64, length_s: i64) -> BreakRule {
        BreakRule::Window {
            length_s,
            window: w(open, close),
        }
    }

    /// Visits `(travel, service, windows)` stops and returns, noting breaks.
    fn drive(
        clock: RouteClock<'_>,
        stops: &[(i64, i64, &[Window])],
        back: i64,
    ) -> (Vec<VisitTimes>, RouteTimes, Vec<(i64, i64, BreakKind)>) {
        let mut clock = clock;
        let mut breaks = Vec::new();
        let mut note = |b: TakenBreak| breaks.push((b.start, b.end, b.kind));
        let visits = stops
            .iter()
            .map(|&(t, s, ws)| clock.visit_noting(t, s, ws, &mut note))
            .collect();
        let times = clock.finish_noting(back, &mut note);
        (visits, times, breaks)
    }

    #[test]
    fn a_driver_with_breaks_leaves_late_instead_of_waiting() {
        let rules = [DRIVING];
        // The shop opens at 10:00 (36,000 s), an hour's drive from a depot
        // open from 0: leaving at 0 waits nine hours.
        let shop = [w(36_000, 37_000)];
        let walk = |departure: i64| {
            let clock = RouteClock::departing_at(w(0, 80_000), departure).with_breaks(&rules);
            drive(clock, &[(3_600, 600, &shop)], 3_600).1
        };
        let first = walk(0);
        assert_eq!(first.duration(), 36_000 + 600 + 3_600);
        let best = shortest_with_breaks(first, walk);
        assert!(best.on_time);
        // No wait left: any departure from 9:00 to 9:16:40 serves on time.
        assert_eq!(best.duration(), 3_600 + 600 + 3_600, "{best:?}");
        assert!((32_400..=33_400).contains(&best.start), "{best:?}");
        // A route late from the start stays as it is.
        let late = [w(0, 100)];
        let walk_late = |departure: i64| {
            let clock = RouteClock::departing_at(w(0, 80_000), departure).with_breaks(&rules);
            drive(clock, &[(3_600, 600, &late)], 3_600).1
        };
        let first = walk_late(0);
        assert!(!first.on_time);
        assert_eq!(shortest_with_breaks(first, walk_late), first);
    }

    #[test]
    fn a_long_leg_is_split_at_the_driving_limit() {
        let rules = [DRIVING];
        // 6 h out, 1 h service, 6 h back: a break 4 h 30 into the first
        // leg, and one 3 h into the way back (1 h 30 of the first leg's
        // driving still counts: service is no rest).
        let clock = RouteClock::new(w(0, END_OF_TIME)).with_breaks(&rules);
        let (v, t, b) = drive(clock, &[(21_600, 3600, &[])], 21_600);
        assert_eq!(b[0], (16_200, 18_900, BreakKind::Driving));
        assert_eq!((v[0].arrival, v[0].start, v[0].departure), (24_300, 24_300, 27_900));
        // 1 h 30 driven before the service; 3 h more on the way back.
        assert_eq!(b[1], (27_900 + 10_800, 27_900 + 10_800 + 2700, BreakKind::Driving));
        assert_eq!(b.len(), 2);
        assert_eq!((t.start, t.end, t.on_time), (0, 27_900 + 21_600 + 2700, true));
    }

    #[test]
    fn a_long_wait_is_a_rest_and_service_is_not() {
        let rules = [DRIVING];
        let clock = RouteClock::new(w(0, END_OF_TIME)).with_breaks(&rules);
        // 4 h, wait 45 min for the opening, 4 h: no break.
        let (_, t, b) = drive(clock, &[(14_400, 0, &[w(17_100, 90_000)])], 14_400);
        assert!(b.is_empty(), "{b:?}");
        assert_eq!(t.end, 17_100 + 14_400);
        // The same with 45 min of service instead: a break on the way back.
        let clock = RouteClock::new(w(0, END_OF_TIME)).with_breaks(&rules);
        let (_, t, b) = drive(clock, &[(14_400, 2700, &[])], 14_400);
        assert_eq!(b, vec![(17_100 + 1800, 17_100 + 1800 + 2700, BreakKind::Driving)]);
        assert_eq!(t.end, 17_100 + 14_400 + 2700);
    }

    #[test]
    fn reload_legs_are_split_and_a_long_wait_at_the_depot_is_a_rest() {
        let rules = [DRIVING];
        let depot = w(0, END_OF_TIME);
        // (legs out and back of two trips, the second trip's release)
        let trips = |legs: [i64; 4], ready: i64| {
            let mut breaks = Vec::new();
            let mut note = |b: TakenBreak| breaks.push((b.start, b.end));
            let mut clock = RouteClock::new(depot).with_breaks(&rules);
            clock.visit_noting(legs[0], 0, &[], &mut note);
            let back = clock.reload_noting(legs[1], 600, ready, depot, &mut note);
            clock.visit_noting(legs[2], 0, &[], &mut note);
            clock.finish_noting(legs[3], &mut note);
            (back, breaks)
        };
        // 3 h out, 3 h back: the 4 h 30 limit falls on the way to the
        // reload; 1 h 30 driven since, the reload leg (4 h) is split 3 h in.
        let (back, breaks) = trips([10_800, 10_800, 14_400, 14_400], 0);
        assert_eq!(back, 21_600 + 2700);
        assert_eq!(breaks[0], (16_200, 18_900));
        assert_eq!(breaks[1], (back + 600 + 10_800, back + 600 + 10_800 + 2700));
        // 2 h legs, the next trip's goods 2 h after the return: the wait at
        // the depot is a rest, so 8 h of driving need no break.
        let (_, breaks) = trips([7200; 4], 14_400 + 7200);
        assert!(breaks.is_empty(), "{breaks:?}");
        // Without the wait they need one.
        let (_, breaks) = trips([7200; 4], 0);
        assert_eq!(breaks.len(), 1, "{breaks:?}");
    }

    #[test]
    fn the_limit_reached_at_a_stop_puts_the_break_at_the_departure() {
        let rules = [DRIVING];
        let clock = RouteClock::new(w(0, END_OF_TIME)).with_breaks(&rules);
        let (v, _, b) = drive(clock, &[(16_200, 600, &[])], 100);
        assert_eq!(v[0].departure, 16_800);
        assert_eq!(b, vec![(16_800, 19_500, BreakKind::Driving)]);
    }

    #[test]
    fn window_breaks_go_on_the_road_in_the_wait_or_after_service() {
        // On the road: the window opens during the leg.
        let rules = [lunch(1000, 2000, 300)];
        let clock = RouteClock::new(w(0, END_OF_TIME)).with_breaks(&rules);
        let (v, _, b) = drive(clock, &[(1500, 0, &[])], 10);
        assert_eq!(b, vec![(1000, 1300, BreakKind::Window)]);
        assert_eq!(v[0].arrival, 1800);
        // In the wait: the town opens at 1500, the window at 1100.
        let clock = RouteClock::new(w(0, END_OF_TIME)).with_breaks(&rules);
        let (v, _, b) = drive(clock, &[(1000, 50, &[w(1500, 3000)])], 10);
        assert_eq!(b, vec![(1000, 1300, BreakKind::Window)]);
        assert_eq!((v[0].arrival, v[0].start), (1000, 1500));
        // A break in the wait that outlasts it delays the service.
        let rules = [lunch(1400, 2000, 300)];
        let clock = RouteClock::new(w(0, END_OF_TIME)).with_breaks(&rules);
        let (v, _, b) = drive(clock, &[(1000, 50, &[w(1500, 3000)])], 10);
        assert_eq!(b, vec![(1400, 1700, BreakKind::Window)]);
        assert_eq!(v[0].start, 1700);
        // During service: at the departure.
        let rules = [lunch(1000, 2000, 300)];
        let clock = RouteClock::new(w(0, END_OF_TIME)).with_breaks(&rules);
        let (v, t, b) = drive(clock, &[(900, 500, &[])], 10);
        assert_eq!(v[0].departure, 1400);
        assert_eq!(b, vec![(1400, 1700, BreakKind::Window)]);
        assert_eq!(t.end, 1710);
        // Back before the window opens, or left after it opened: no break.
        let clock = RouteClock::new(w(0, END_OF_TIME)).with_breaks(&rules);
        assert!(drive(clock, &[(400, 0, &[])], 400).2.is_empty());
        let clock = RouteClock::new(w(1200, END_OF_TIME)).with_breaks(&rules);
        assert!(drive(clock, &[(400, 0, &[])], 400).2.is_empty());
    }

    #[test]
    fn a_window_break_that_cannot_start_in_time_is_not_on_time() {
        // Serving from 900 to 2500 covers the whole window 1000..=2000.
        let rules = [lunch(1000, 2000, 300)];
        let mut clock = RouteClock::new(w(0, END_OF_TIME)).with_breaks(&rules);
        clock.visit(900, 1600, &[]);
        assert!(clock.on_time());
        let v = clock.visit(10, 0, &[]);
        assert_eq!(v.arrival, 2510);
        assert!(!clock.on_time() && !clock.breaks_kept() && clock.services_on_time());
        assert!(!clock.finish(10).on_time);
        // Missed on the way back.
        let mut clock = RouteClock::new(w(0, END_OF_TIME)).with_breaks(&rules);
        clock.visit(900, 1600, &[]);
        assert!(!clock.finish(10).on_time);
    }

    #[test]
    fn breaks_need_no_slack_and_the_second_pass_agrees() {
        let rules = [DRIVING, lunch(40_000, 45_000, 1800)];
        let stops: [(i64, i64, &[Window]); 2] = [(9000, 900, &[w(32_000, 36_000)]), (10_800, 900, &[])];
        let first = drive(RouteClock::new(w(21_600, 80_000)).with_breaks(&rules), &stops, 19_800);
        // The vehicle leaves at the opening, though it waits at the first town.
        assert_eq!(first.1.start, 21_600);
        assert_eq!((first.0[0].arrival, first.0[0].start), (30_600, 32_000));
        // The lunch comes before the driving limit, which follows at once
        // (100 s of driving later): 30 min do not reset the count. B at
        // 48_200 (1 h driven), left at 49_100: 3 h 30 later the last break.
        assert_eq!(
            first.2,
            vec![
                (40_000, 41_800, BreakKind::Window),
                (41_900, 44_600, BreakKind::Driving),
                (49_100 + 12_600, 49_100 + 12_600 + 2700, BreakKind::Driving)
            ]
        );
        let again = drive(
            RouteClock::departing_at(w(21_600, 80_000), first.1.start).with_breaks(&rules),
            &stops,
            19_800,
        );
        assert_eq!(first, again);
        // No rules: exactly the plain rule.
        let plain = drive(RouteClock::new(w(21_600, 80_000)).with_breaks(&[]), &stops, 19_800);
        let mut c = RouteClock::new(w(21_600, 80_000));
        for &(t, s, ws) in &stops {
            c.visit(t, s, ws);
        }
        assert_eq!(plain.1, c.finish(19_800));
        assert!(plain.2.is_empty());
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
