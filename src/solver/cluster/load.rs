//! The load rule on the cluster's nodes: each node's load profile in every
//! capacity dimension (see [`crate::model::load`]) and whether a route of
//! nodes fits a vehicle's capacities. Loads are plain demand sums when no
//! town has a pickup, no vehicle reloads and there is one dimension; they
//! follow profiles otherwise ([`Cluster::load_dims`]). The search's routes
//! keep prefix profiles of the same (`search/routes/load.rs`).

use super::{Cluster, Limits};
use crate::model::{LoadProfile, PickupOrder, Problem};

impl<'a> Cluster<'a> {
    /// Capacity dimensions whose loads follow profiles: 0 when loads are
    /// demand sums, else every dimension of the problem.
    #[inline]
    pub fn load_dims(&self) -> usize {
        if self.pickups { 1 + self.extra_dims } else { 0 }
    }

    /// The load profile of node `v` alone in the first dimension (nothing
    /// for a depot).
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

    /// The load profile of node `v` alone in capacity dimension `d`.
    #[inline]
    pub fn dimension_load(&self, v: usize, d: usize) -> LoadProfile {
        if d == 0 {
            self.stop_load(v)
        } else {
            self.extra_stop[v * self.extra_dims + d - 1]
        }
    }

    /// The load a route of `nodes` (towns) needs in the first dimension
    /// under the load rule: its peak, or `i64::MAX` when it breaks the
    /// pickup order.
    pub fn required_capacity(&self, nodes: impl IntoIterator<Item = usize>) -> i64 {
        if !self.pickups {
            return nodes.into_iter().map(|v| self.demand[v]).sum();
        }
        self.dimension_need(0, nodes)
    }

    /// The load a route of `nodes` needs in dimension `d` (profiles only).
    fn dimension_need(&self, d: usize, nodes: impl IntoIterator<Item = usize>) -> i64 {
        nodes
            .into_iter()
            .fold(LoadProfile::EMPTY, |p, v| p.then(self.dimension_load(v, d)))
            .required_capacity(self.pickup_order)
    }

    /// True if a route of `nodes` (towns, reload nodes) fits `limits` in
    /// every capacity dimension.
    pub fn load_fits(&self, limits: &Limits, nodes: &[usize]) -> bool {
        self.required_capacity(nodes.iter().copied()) <= limits.capacity
            && (1..self.load_dims()).all(|d| self.dimension_need(d, nodes.iter().copied()) <= limits.capacity_in(d))
    }

    /// Several capacity dimensions: each after the first gets its stop
    /// profiles, and loads follow profiles (not sums) in every dimension.
    pub(super) fn with_extra_dimensions(&mut self, problem: &Problem) {
        let k = problem.dimensions() - 1;
        if k == 0 {
            return;
        }
        self.pickups = true;
        self.extra_dims = k;
        self.extra_stop = (0..self.num_nodes())
            .flat_map(|v| (1..=k).map(move |d| (v, d)))
            .map(|(v, d)| self.node_load(problem, v, d))
            .collect();
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
    fn node_load(&self, problem: &Problem, v: usize, d: usize) -> LoadProfile {
        if self.is_reload(v) {
            LoadProfile::RELOAD
        } else if self.is_depot(v) {
            LoadProfile::EMPTY
        } else {
            problem.towns[self.towns[v]].load_stop(d)
        }
    }
}
