//! Node accessors of a cluster: towns and depots, reloads, releases,
//! opening intervals, loads in every capacity dimension, vehicle–town
//! compatibility and the homes of re-planning.

use super::{Cluster, Limits, NO_HOME, Pricing};
use crate::model::{LoadProfile, PickupOrder, Problem, Window};

impl<'a> Cluster<'a> {
    /// The problem's town indices of town nodes (a route or a list of nodes).
    pub fn town_indices(&self, nodes: &[usize]) -> Vec<usize> {
        nodes.iter().map(|&node| self.towns[node]).collect()
    }

    /// Number of towns (nodes `1..=num_towns`).
    #[inline]
    pub fn num_towns(&self) -> usize {
        self.num_towns
    }

    /// True for depot nodes.
    #[inline]
    pub fn is_depot(&self, v: usize) -> bool {
        v == 0 || v > self.num_towns
    }

    /// Opening hours of depot node `d`.
    #[inline]
    pub fn hours_at(&self, d: usize) -> Window {
        if d == 0 {
            self.hours[0]
        } else {
            self.hours[d - self.num_towns]
        }
    }

    /// True if node `v` is a reload node.
    #[inline]
    pub fn is_reload(&self, v: usize) -> bool {
        v >= self.first_reload
    }

    /// The route type that may use reload node `v`.
    #[inline]
    pub fn reload_type_of(&self, v: usize) -> usize {
        self.reload_type[v - self.first_reload] as usize
    }

    /// The problem's depot index of depot node `v` (reload nodes included).
    #[inline]
    pub fn depot_location(&self, v: usize) -> usize {
        self.locations[v]
    }

    /// Release time of node `v` (0 for depots and towns ready at the start).
    #[inline]
    pub fn release_of(&self, v: usize) -> i64 {
        self.release.get(v).copied().unwrap_or(0)
    }

    /// True if node `v` is an optional town.
    #[inline]
    pub fn is_optional(&self, v: usize) -> bool {
        self.optional.get(v).copied().unwrap_or(false)
    }

    /// The load profile of node `v` alone (nothing for a depot).
    #[inline]
    pub fn stop_load(&self, v: usize) -> LoadProfile {
        if self.is_reload(v) {
            return LoadProfile::RELOAD;
        }
        if self.is_depot(v) {
            return LoadProfile::EMPTY;
        }
        if let Some(&p) = self.first_stop.get(v) {
            return p;
        }
        LoadProfile::stop(self.demand[v], self.pickup.get(v).copied().unwrap_or(0))
    }

    /// Re-planning: node `v`'s home is search route `home[v]` (the first
    /// `homes` routes are the previous plan's), and a town elsewhere, or
    /// left out, costs `penalty`. Every move is then priced on the general
    /// path.
    pub fn keep_homes(&mut self, home: Vec<u32>, homes: usize, penalty: i64) {
        if penalty <= 0 {
            return;
        }
        // Towns served first still: leaving out a required town costs more
        // than moving every town the previous plan served, so the penalty
        // only chooses among plans that serve as many (the penalties keep
        // their ratios, so priorities rank as before). A prize is the
        // user's own worth of an optional town, and stays.
        let moves = penalty.saturating_mul(home.iter().filter(|&&h| h != NO_HOME).count() as i64);
        let least = (1..self.penalty.len())
            .filter(|&v| !self.is_optional(v))
            .map(|v| self.penalty[v])
            .filter(|&p| p > 0)
            .min();
        if let Some(least) = least {
            let factor = 1 + moves / least;
            // Sums over every node must still fit in an i64.
            let cap = (1i64 << 60) / self.penalty.len() as i64;
            for v in 1..self.penalty.len() {
                if !self.is_optional(v) {
                    let p = self.penalty[v];
                    self.penalty[v] = p.saturating_mul(factor).min(cap.max(p));
                }
            }
        }
        // Leaving out a town the previous plan served changes the plan
        // too: it costs the penalty on top of its own.
        for (v, &h) in home.iter().enumerate() {
            if h != NO_HOME
                && let Some(p) = self.penalty.get_mut(v)
            {
                *p = p.saturating_add(penalty);
            }
        }
        self.home = home;
        self.homes = homes;
        self.change_penalty = penalty;
        self.pricing = Pricing::General;
    }

    /// With several capacity dimensions and deliveries first, a town's
    /// place in the order comes from all its dimensions: keeps each node's
    /// first-dimension profile so classed, and follows profiles (not sums).
    pub(super) fn class_towns_by_every_dimension(&mut self, problem: &Problem) {
        if problem.dimensions() == 1 || self.pickup_order != PickupOrder::DeliveriesFirst {
            return;
        }
        self.pickups = true;
        self.first_stop = (0..self.num_nodes()).map(|v| self.node_load(problem, v, 0)).collect();
    }

    /// Node `v` alone in capacity dimension `d`: a reload ends a trip, a
    /// depot carries nothing, a town is [`crate::model::Town::load_stop`].
    pub(super) fn node_load(&self, problem: &Problem, v: usize, d: usize) -> LoadProfile {
        if self.is_reload(v) {
            LoadProfile::RELOAD
        } else if self.is_depot(v) {
            LoadProfile::EMPTY
        } else {
            problem.towns[self.towns[v]].load_stop(d)
        }
    }

    /// The load profile of node `v` alone in capacity dimension `d + 1`.
    #[inline]
    pub fn extra_load(&self, v: usize, d: usize) -> LoadProfile {
        self.extra_stop[v * self.extra_dims + d]
    }

    /// True if a route of `nodes` (towns, reload nodes) fits `limits` in
    /// every capacity dimension after the first.
    pub fn extra_fits(&self, limits: &Limits, nodes: &[usize]) -> bool {
        (0..self.extra_dims).all(|d| {
            nodes
                .iter()
                .fold(LoadProfile::EMPTY, |p, &v| p.then(self.extra_load(v, d)))
                .required_capacity(self.pickup_order)
                <= limits.extra_capacity[d]
        })
    }

    /// The load a route of `nodes` (towns) needs under the load rule: its
    /// peak, or `i64::MAX` when it breaks the pickup order.
    pub fn required_capacity(&self, nodes: impl IntoIterator<Item = usize>) -> i64 {
        if !self.pickups {
            return nodes.into_iter().map(|v| self.demand[v]).sum();
        }
        nodes
            .into_iter()
            .fold(LoadProfile::EMPTY, |p, v| p.then(self.stop_load(v)))
            .required_capacity(self.pickup_order)
    }

    /// True if some town restricts the vehicle types that may serve it.
    #[inline]
    pub fn restricted(&self) -> bool {
        self.words > 0
    }

    /// True if route type `t` may serve node `v`.
    #[inline]
    pub fn serves(&self, v: usize, t: usize) -> bool {
        self.words == 0 || self.allowed[v * self.words + t / 64] >> (t % 64) & 1 == 1
    }

    /// Opening intervals of node `v` (empty = always open).
    #[inline]
    pub fn windows(&self, v: usize) -> &[Window] {
        if self.windowed {
            &self.windows[self.win_at[v] as usize..self.win_at[v + 1] as usize]
        } else {
            &[]
        }
    }
}
