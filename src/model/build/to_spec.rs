//! The way back: a problem as the spec it was built from (for writing JSON).

use crate::model::breaks::BreakRule;
use crate::model::spec::DEFAULT_MAX_SNAP_M;
use crate::model::{
    Amount, BreakSpec, DepotSpec, Problem, ProblemSpec, RouteEnd, TimeSpec, TownSpec, Travel, TravelSpec,
    VehicleTypeSpec,
};
use std::sync::Arc;

impl Problem {
    /// The spec this problem was built from (for writing JSON). Road networks
    /// loaded from files cannot be written back and become `None`.
    pub fn to_spec(&self) -> ProblemSpec {
        let back = |m: &Arc<Vec<Option<u32>>>| {
            let n = self.num_locations();
            m.chunks(n.max(1))
                .map(|r| r.iter().map(|v| v.map(f64::from)).collect())
                .collect()
        };
        ProblemSpec {
            name: self.name.clone(),
            travel: match &self.travel {
                Travel::Euclidean => Some(TravelSpec::Euclidean),
                Travel::Haversine { circuity } => Some(TravelSpec::Haversine { circuity: *circuity }),
                Travel::Roads(_) => None,
                Travel::Matrix { distances, durations } => Some(TravelSpec::Matrix {
                    distances: back(distances),
                    durations: durations.as_ref().map(back),
                }),
            },
            depots: self
                .depots
                .iter()
                .map(|d| DepotSpec {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    location: d.location,
                    hours: (!d.hours.is_always()).then_some([
                        TimeSpec::Seconds(d.hours.open as f64),
                        TimeSpec::Seconds(d.hours.close as f64),
                    ]),
                })
                .collect(),
            towns: self
                .towns
                .iter()
                .map(|t| TownSpec {
                    id: t.id.clone(),
                    name: t.name.clone(),
                    location: t.location,
                    demand: Amount::of(t.demand, &t.extra_demand),
                    service_time_s: t.service_time as f64,
                    pickup: Amount::of(t.pickup, &t.extra_pickup),
                    prize: t.prize,
                    priority: (t.priority > 0).then_some(t.priority),
                    release: (t.release > 0).then_some(TimeSpec::Seconds(t.release as f64)),
                    windows: t
                        .windows
                        .iter()
                        .map(|w| [TimeSpec::Seconds(w.open as f64), TimeSpec::Seconds(w.close as f64)])
                        .collect(),
                    drops: None,
                    days: None,
                    patterns: (!t.patterns.is_empty()).then(|| {
                        t.patterns
                            .iter()
                            .map(|&m| (0..64).filter(|d| m >> d & 1 == 1).map(|d| d + 1).collect())
                            .collect()
                    }),
                    vehicle_types: (!t.allowed_types.is_empty())
                        .then(|| t.allowed_types.iter().map(|&v| self.fleet[v].id.clone()).collect()),
                })
                .collect(),
            fleet: self
                .fleet
                .iter()
                .map(|v| VehicleTypeSpec {
                    id: v.id.clone(),
                    depot: self.depots[v.depot].id.clone(),
                    count: v.count.map(i64::from),
                    capacity: Amount::of(v.capacity, &v.extra_capacity),
                    max_distance: v.max_distance.map(|x| x as f64),
                    max_duration_s: v.max_duration.map(|x| x as f64),
                    speed_kmh: v.speed_kmh,
                    fixed_cost: v.fixed_cost as f64,
                    cost_per_km: v.cost_per_km,
                    cost_per_hour: v.cost_per_hour,
                    reload_depots: v.reload_depots.iter().map(|&d| self.depots[d].id.clone()).collect(),
                    reload_time_s: v.reload_time as f64,
                    max_reloads: v.max_reloads,
                    breaks: v.breaks.iter().map(break_spec).collect(),
                    shift: (!v.shift.is_always()).then_some([
                        TimeSpec::Seconds(v.shift.open as f64),
                        TimeSpec::Seconds(v.shift.close as f64),
                    ]),
                    max_stops: v.max_stops.map(i64::from),
                    max_overtime_s: v.max_overtime as f64,
                    cost_per_overtime_hour: v.cost_per_overtime_hour,
                    end_depot: match v.end {
                        RouteEnd::Depot(e) if e != v.depot => Some(self.depots[e].id.clone()),
                        _ => None,
                    },
                    open: v.end == RouteEnd::LastStop,
                })
                .collect(),
            towns_csv: None,
            horizon_days: self.horizon_days,
            max_snap_m: (self.max_snap_m != DEFAULT_MAX_SNAP_M).then_some(self.max_snap_m),
            pickup_order: self.pickup_order,
            // The state of the day is an input to one re-plan, not part of
            // the network and fleet written back.
            state: None,
        }
    }
}

/// The input shape of a checked break rule.
fn break_spec(rule: &BreakRule) -> BreakSpec {
    match *rule {
        BreakRule::Driving {
            max_driving_s,
            length_s,
        } => BreakSpec::driving(max_driving_s as f64, length_s as f64),
        BreakRule::Window { length_s, window } => {
            BreakSpec::window(window.open as f64, window.close as f64, length_s as f64)
        }
    }
}
