//! Node accessors of a cluster: towns and depots, reloads, releases,
//! opening intervals, vehicle–town compatibility and the homes of
//! re-planning (loads: `load.rs`).

use super::{Cluster, NO_HOME, Pricing};
use crate::model::Window;

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
