//! Which depot serves which town, and why a town cannot be served at all.

use crate::distance::{TravelOracle, is_unreachable};
use crate::model::Problem;
use crate::solution::UnassignedReason;

/// The vehicle type each depot's routes are planned for: the largest
/// capacity, then the longest distance and shift limits (first on ties).
pub fn depot_profiles(problem: &Problem) -> Vec<Option<usize>> {
    let key = |v: usize| {
        let vt = &problem.fleet[v];
        (
            vt.capacity,
            vt.max_distance.unwrap_or(i64::MAX),
            vt.max_duration.unwrap_or(i64::MAX),
        )
    };
    (0..problem.depots.len())
        .map(|d| {
            (0..problem.fleet.len())
                .filter(|&v| problem.fleet[v].depot == d)
                .fold(None, |best: Option<usize>, v| match best {
                    Some(b) if key(b) >= key(v) => Some(b),
                    _ => Some(v),
                })
        })
        .collect()
}

/// Result of splitting towns between depots.
#[derive(Debug, Clone, Default)]
pub struct Assignment {
    /// Towns of each depot, in problem order.
    pub towns_of_depot: Vec<Vec<usize>>,
    /// Towns no depot can serve alone, with the reason.
    pub unassigned: Vec<(usize, UnassignedReason)>,
}

/// Why `vehicle` (based at `depot`) cannot serve town `t` on its own, if it cannot.
fn alone_infeasibility(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    depot: usize,
    vehicle: usize,
    t: usize,
) -> Option<UnassignedReason> {
    let vt = &problem.fleet[vehicle];
    let town = &problem.towns[t];
    let loc = problem.town_location(t);
    if let Some(snap) = oracle
        .snaps()
        .and_then(|s| s.get(loc))
        .filter(|s| s.distance_m > problem.max_snap_m)
    {
        return Some(UnassignedReason::OffNetwork {
            snap_m: snap.distance_m.round() as i64,
            max_snap_m: problem.max_snap_m.round() as i64,
        });
    }
    let (out, back) = (oracle.distance(depot, loc), oracle.distance(loc, depot));
    if is_unreachable(out) || is_unreachable(back) {
        return Some(UnassignedReason::Unreachable);
    }
    if town.demand > vt.capacity {
        return Some(UnassignedReason::DemandExceedsCapacity {
            demand: town.demand.into(),
            max_capacity: vt.capacity.into(),
        });
    }
    if let Some(max) = vt.max_distance.filter(|&m| out + back > m) {
        return Some(UnassignedReason::RoundTripTooLong {
            distance: out + back,
            max_distance: max,
        });
    }
    let (_, times, _) = problem.route_times(oracle, vt, &[t]);
    if !times.on_time {
        return Some(UnassignedReason::OpeningHours {
            hours: town.windows.clone(),
        });
    }
    let duration = times.duration();
    if let Some(max) = vt.max_duration.filter(|&m| duration > m) {
        return Some(UnassignedReason::ShiftTooShort {
            duration_s: duration,
            max_duration_s: max,
        });
    }
    None
}

/// Sends each town to the nearest depot (round trip by the oracle, lowest
/// index on ties) whose planning vehicle can serve it alone. A town no depot
/// can serve is unassigned with the reason given by the nearest reachable depot.
pub fn assign_towns(problem: &Problem, oracle: &dyn TravelOracle, profiles: &[Option<usize>]) -> Assignment {
    let mut a = Assignment {
        towns_of_depot: vec![Vec::new(); problem.depots.len()],
        unassigned: Vec::new(),
    };
    for t in 0..problem.towns.len() {
        let loc = problem.town_location(t);
        let mut best: Option<(i64, usize)> = None;
        let mut why: Option<(i64, UnassignedReason)> = None;
        for (d, profile) in profiles.iter().enumerate() {
            let Some(v) = *profile else { continue };
            let round = oracle.distance(d, loc).saturating_add(oracle.distance(loc, d));
            match alone_infeasibility(problem, oracle, d, v, t) {
                None => {
                    if best.is_none_or(|(b, _)| round < b) {
                        best = Some((round, d));
                    }
                }
                Some(reason) => {
                    if why.as_ref().is_none_or(|(w, _)| round < *w) {
                        why = Some((round, reason));
                    }
                }
            }
        }
        match (best, why) {
            (Some((_, d)), _) => a.towns_of_depot[d].push(t),
            (None, Some((_, reason))) => a.unassigned.push((t, reason)),
            (None, None) => a.unassigned.push((t, UnassignedReason::Unreachable)),
        }
    }
    a
}
