//! The load rule: what is on board along a route.
//!
//! A van leaves its depot carrying every delivery of the route; at each town
//! it drops that town's delivery and takes on its pickup (farm produce,
//! returns, empties), and back at the depot it unloads the pickups. The load
//! must fit the capacity at every point of the route, not only in total:
//! with pickups, a route whose deliveries and pickups each fit may still be
//! over capacity half-way.
//!
//! [`LoadProfile`] summarises a piece of a route so that pieces concatenate
//! in O(1) (as the search's segment pricing needs): the deliveries it drops,
//! the pickups it takes on and the peak load *of its own goods* inside it.
//! Entering a piece, the van still carries the piece's deliveries and those
//! of every later piece; it already carries the pickups of every earlier
//! piece. So for `a` then `b`:
//!
//! ```text
//! peak(a ⊕ b) = max(peak(a) + delivery(b), pickup(a) + peak(b))
//! ```
//!
//! and a route fits a vehicle of capacity `Q` iff `peak(route) <= Q`. With
//! no pickups the peak is the total delivery, as before.
//!
//! # Order rule ([`PickupOrder`])
//! * [`PickupOrder::Any`]: pickups and deliveries mix freely (simultaneous
//!   pickup and delivery).
//! * [`PickupOrder::DeliveriesFirst`] (the VRP with backhauls): no town with
//!   a delivery (a *linehaul*) after a town with a pickup (a *backhaul*) on
//!   the same route, and a route does not start with a backhaul (a van
//!   drives out loaded, not empty). A town with both counts as both.
//!
//! The search, the construction, the problem-space evaluator and the
//! schedule use this module; the validator keeps its own check.

use serde::{Deserialize, Serialize};

/// The most capacity dimensions a problem may have (weight, volume, crates,
/// pallets…). Each dimension follows the load rule on its own: a route fits
/// a vehicle when every dimension fits its capacity. Dimension 0 is
/// `demand`, `pickup` and `capacity`; the others are their `extra_` lists.
pub const MAX_DIMENSIONS: usize = 4;

/// Whether pickups may come before deliveries on a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PickupOrder {
    /// Pickups and deliveries in any order (simultaneous pickup and delivery).
    #[default]
    Any,
    /// Every delivery before any pickup, and no route starting with a pickup
    /// (backhauls, VRPB).
    DeliveriesFirst,
}

impl PickupOrder {
    /// True for the default ([`PickupOrder::Any`]), for serde's skip.
    pub fn is_any(&self) -> bool {
        *self == PickupOrder::Any
    }
}

/// One trip's worth of a piece: what the order rule and the peak need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Trip {
    delivery: i64,
    pickup: i64,
    peak: i64,
    /// Some town has a delivery.
    linehaul: bool,
    /// Some town has a pickup.
    backhaul: bool,
    /// No delivery after a pickup inside.
    ordered: bool,
    /// The first town has a pickup (`None`: no town yet).
    starts_with_backhaul: Option<bool>,
}

impl Trip {
    const EMPTY: Trip = Trip {
        delivery: 0,
        pickup: 0,
        peak: 0,
        linehaul: false,
        backhaul: false,
        ordered: true,
        starts_with_backhaul: None,
    };

    #[inline]
    fn then(self, next: Trip) -> Trip {
        Trip {
            delivery: self.delivery + next.delivery,
            pickup: self.pickup + next.pickup,
            peak: (self.peak + next.delivery).max(self.pickup + next.peak),
            linehaul: self.linehaul || next.linehaul,
            backhaul: self.backhaul || next.backhaul,
            ordered: self.ordered && next.ordered && !(self.backhaul && next.linehaul),
            starts_with_backhaul: self.starts_with_backhaul.or(next.starts_with_backhaul),
        }
    }

    #[inline]
    fn keeps(&self, order: PickupOrder) -> bool {
        match order {
            PickupOrder::Any => true,
            PickupOrder::DeliveriesFirst => self.ordered && self.starts_with_backhaul != Some(true),
        }
    }

    #[inline]
    fn required(&self, order: PickupOrder) -> i64 {
        if self.keeps(order) { self.peak } else { i64::MAX }
    }
}

/// Deliveries, pickups and peak load of a piece of a route, and what the
/// order rule needs to know of it. A piece may hold reloads (multi-trip
/// routes): the van unloads its pickups and loads the next trip's
/// deliveries there, so each trip is checked on its own; the piece keeps
/// its first and last (open) trips and the worst trip complete inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadProfile {
    /// Before the first reload (the whole piece when it has none).
    head: Trip,
    /// After the last reload (unused without reloads).
    tail: Trip,
    /// Largest peak of a trip between two reloads of the piece.
    inner: i64,
    /// Every such trip keeps deliveries-first.
    inner_ordered: bool,
    /// Reloads inside the piece.
    pub reloads: u32,
}

impl LoadProfile {
    /// A piece with no towns (a depot).
    pub const EMPTY: LoadProfile = LoadProfile {
        head: Trip::EMPTY,
        tail: Trip::EMPTY,
        inner: 0,
        inner_ordered: true,
        reloads: 0,
    };

    /// A reload at a depot: one trip ends, the next begins.
    pub const RELOAD: LoadProfile = LoadProfile {
        head: Trip::EMPTY,
        tail: Trip::EMPTY,
        inner: 0,
        inner_ordered: true,
        reloads: 1,
    };

    /// One town dropping `delivery` and taking on `pickup`.
    #[inline]
    pub fn stop(delivery: i64, pickup: i64) -> LoadProfile {
        LoadProfile::classed_stop(delivery, pickup, delivery > 0, pickup > 0)
    }

    /// One town dropping `delivery` and taking on `pickup` in one capacity
    /// dimension, ordered as a linehaul (`delivers`) and a backhaul
    /// (`collects`) by all its dimensions: with several dimensions a town
    /// that collects crates is a backhaul in the weight dimension too.
    #[inline]
    pub fn classed_stop(delivery: i64, pickup: i64, delivers: bool, collects: bool) -> LoadProfile {
        LoadProfile {
            head: Trip {
                delivery,
                pickup,
                peak: delivery.max(pickup),
                linehaul: delivers,
                backhaul: collects,
                ordered: true,
                starts_with_backhaul: Some(collects),
            },
            ..LoadProfile::EMPTY
        }
    }

    /// The piece `self` followed by the piece `next`.
    #[inline]
    pub fn then(self, next: LoadProfile) -> LoadProfile {
        match (self.reloads > 0, next.reloads > 0) {
            (false, false) => LoadProfile {
                head: self.head.then(next.head),
                ..LoadProfile::EMPTY
            },
            (false, true) => LoadProfile {
                head: self.head.then(next.head),
                ..next
            },
            (true, false) => LoadProfile {
                tail: self.tail.then(next.head),
                ..self
            },
            (true, true) => {
                // The trip across the join is complete now.
                let joined = self.tail.then(next.head);
                LoadProfile {
                    head: self.head,
                    tail: next.tail,
                    inner: self.inner.max(next.inner).max(joined.peak),
                    inner_ordered: self.inner_ordered
                        && next.inner_ordered
                        && joined.keeps(PickupOrder::DeliveriesFirst),
                    reloads: self.reloads + next.reloads,
                }
            }
        }
    }

    /// Pickups of the piece's last (open) trip: what a van leaving the
    /// piece has collected since its last reload.
    #[inline]
    pub fn open_pickup(&self) -> i64 {
        if self.reloads > 0 {
            self.tail.pickup
        } else {
            self.head.pickup
        }
    }

    /// Deliveries of the piece's first (open) trip: what a van entering the
    /// piece still carries for it.
    #[inline]
    pub fn open_delivery(&self) -> i64 {
        self.head.delivery
    }

    /// True if the piece, driven as a whole route, keeps `order`.
    #[inline]
    pub fn keeps(&self, order: PickupOrder) -> bool {
        self.required_capacity(order) < i64::MAX
    }

    /// The load a vehicle must be able to carry to drive the piece as a
    /// whole route under `order`: its worst trip's peak, or `i64::MAX` if
    /// some trip breaks the order (so one capacity comparison checks both).
    #[inline]
    pub fn required_capacity(&self, order: PickupOrder) -> i64 {
        let head = self.head.required(order);
        if self.reloads == 0 {
            return head;
        }
        if order == PickupOrder::DeliveriesFirst && !self.inner_ordered {
            return i64::MAX;
        }
        head.max(self.tail.required(order)).max(self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(stops: &[(i64, i64)]) -> LoadProfile {
        stops
            .iter()
            .fold(LoadProfile::EMPTY, |p, &(d, q)| p.then(LoadProfile::stop(d, q)))
    }

    /// The peak by walking the route: leave with every delivery, then drop
    /// and take on stop by stop.
    fn walked_peak(stops: &[(i64, i64)]) -> i64 {
        let mut load: i64 = stops.iter().map(|s| s.0).sum();
        let mut peak = load;
        for &(d, q) in stops {
            load += q - d;
            peak = peak.max(load);
        }
        peak
    }

    #[test]
    fn peak_is_the_walked_peak_whatever_the_split() {
        let stops = [(5, 0), (0, 7), (3, 2), (0, 4), (6, 0), (1, 1)];
        let whole = route(&stops);
        assert_eq!(whole.required_capacity(PickupOrder::Any), walked_peak(&stops));
        assert_eq!((whole.open_delivery(), whole.open_pickup()), (15, 14));
        for cut in 0..=stops.len() {
            let joined = route(&stops[..cut]).then(route(&stops[cut..]));
            assert_eq!(joined, whole, "cut at {cut}");
        }
    }

    #[test]
    fn deliveries_only_peak_at_the_total() {
        let p = route(&[(3, 0), (4, 0), (2, 0)]);
        assert_eq!(p.required_capacity(PickupOrder::Any), 9);
        assert!(p.keeps(PickupOrder::DeliveriesFirst));
    }

    /// Stops with `None` for a reload.
    fn trips(stops: &[Option<(i64, i64)>]) -> LoadProfile {
        stops.iter().fold(LoadProfile::EMPTY, |p, s| {
            p.then(match s {
                Some((d, q)) => LoadProfile::stop(*d, *q),
                None => LoadProfile::RELOAD,
            })
        })
    }

    #[test]
    fn reloads_check_each_trip_on_its_own_whatever_the_split() {
        let stops = [
            Some((4, 0)),
            Some((3, 0)),
            None,
            Some((6, 0)),
            Some((0, 2)),
            None,
            Some((5, 0)),
            Some((0, 1)),
            None,
            Some((2, 0)),
        ];
        let whole = trips(&stops);
        // Trips need 7, 6, 5 and 2.
        assert_eq!(whole.required_capacity(PickupOrder::Any), 7);
        assert_eq!(whole.reloads, 3);
        for cut in 0..=stops.len() {
            let joined = trips(&stops[..cut]).then(trips(&stops[cut..]));
            assert_eq!(joined.required_capacity(PickupOrder::Any), 7, "cut at {cut}");
            assert!(joined.keeps(PickupOrder::DeliveriesFirst), "cut at {cut}");
        }
        // A delivery after a pickup inside an inner trip breaks the order.
        let bad = trips(&[Some((1, 0)), None, Some((0, 2)), Some((3, 0)), None, Some((1, 0))]);
        assert!(!bad.keeps(PickupOrder::DeliveriesFirst));
        assert_eq!(bad.required_capacity(PickupOrder::Any), 5);
    }

    #[test]
    fn backhaul_order_is_enforced() {
        let ok = route(&[(3, 0), (4, 0), (0, 5)]);
        assert!(ok.keeps(PickupOrder::DeliveriesFirst));
        let line_after_back = route(&[(3, 0), (0, 5), (4, 0)]);
        assert!(!line_after_back.keeps(PickupOrder::DeliveriesFirst));
        assert!(line_after_back.keeps(PickupOrder::Any));
        assert_eq!(
            line_after_back.required_capacity(PickupOrder::DeliveriesFirst),
            i64::MAX
        );
        let starts_empty = route(&[(0, 5), (0, 2)]);
        assert!(!starts_empty.keeps(PickupOrder::DeliveriesFirst));
        assert!(LoadProfile::EMPTY.then(starts_empty).keeps(PickupOrder::Any));
    }
}
