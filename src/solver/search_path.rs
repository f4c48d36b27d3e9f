//! Which search path a solve takes: one search over the whole fleet
//! ([`super::whole_fleet`]) or depot by depot, and when a big plan of one
//! type per depot is decomposed by depot instead.

use crate::model::Problem;

/// True if the fleet belongs inside the search: several depots or vehicle
/// types, towns that name their vehicle types, pickups (the load rule is
/// the search's), optional towns (the pool's prizes), overtime at a cost
/// (priced in money only there), routes that end elsewhere than they
/// start (each type's end node is the search's) or several capacity
/// dimensions (the search's load profiles carry them). One depot with one type
/// is solved per depot as a plain CVRP (and its count applied afterwards).
/// A plan big enough to decompose (`decomposed`) whose fleet is one
/// unlimited type per depot, priced alike (national instances), is planned
/// depot by depot instead, so its depots' regions are improved apart.
pub(super) fn fleet_search(problem: &Problem, decomposed: bool) -> bool {
    (problem.fleet.len() > 1 && !(decomposed && depot_fleets(problem)))
        || problem.towns.iter().any(|t| !t.allowed_types.is_empty())
        || problem.has_pickups()
        || problem.has_optional_towns()
        || problem.has_reloads()
        || problem.has_release_times()
        || problem.fleet.iter().any(|v| v.cost_per_overtime_hour > 0.0)
        || problem.has_route_ends()
        || problem.dimensions() > 1
}

/// True if some depot's construction needs more routes than its vehicle
/// types have vehicles: handing routes out afterwards would drop whole
/// routes, so the fleet search decides which towns to leave out (towns
/// served first, then cost).
pub(super) fn counts_bind(problem: &Problem, constructed: &[(Vec<Vec<usize>>, usize)]) -> bool {
    constructed.iter().enumerate().any(|(d, (routes, _))| {
        let mut vehicles = 0usize;
        for v in problem.fleet.iter().filter(|v| v.depot == d) {
            match v.count {
                Some(c) => vehicles = vehicles.saturating_add(c as usize),
                None => return false,
            }
        }
        routes.len() > vehicles
    })
}

/// True if each depot has at most one vehicle type, of unlimited count,
/// all priced alike: the per-depot search then solves the same problem
/// (towns keep the depot they are assigned to), and a big plan of that kind
/// is decomposed by depot, then by route regions.
fn depot_fleets(problem: &Problem) -> bool {
    let first = &problem.fleet[0];
    let mut per_depot = vec![0usize; problem.depots.len()];
    problem.fleet.iter().all(|v| {
        per_depot[v.depot] += 1;
        per_depot[v.depot] == 1
            && v.count.is_none()
            && v.fixed_cost == first.fixed_cost
            && v.cost_per_km == first.cost_per_km
            && v.cost_per_hour == first.cost_per_hour
            && v.speed_kmh == first.speed_kmh
            && v.breaks.is_empty()
            && v.reload_depots.is_empty()
    })
}
