//! The load rule on a searched route: prefix and suffix load profiles in
//! every capacity dimension (see [`crate::model::load`]), so a plan of a
//! prefix, short middle pieces and a suffix is checked in O(middle), and an
//! insertion in O(inserted nodes). A cluster whose loads are plain sums (no
//! pickups, reloads or further dimensions) keeps none: its load is the
//! route's demand prefix sum.

use super::{Node, Route, Routes, Seg, Totals};
use crate::model::LoadProfile;
use crate::solver::cluster::{Cluster, Limits};

/// The load profile of `piece` walked forward, or backward with `rev`,
/// each node's own profile given by `stop`.
#[inline]
fn walked_profile(piece: &[Node], rev: bool, stop: impl Fn(usize) -> LoadProfile) -> LoadProfile {
    let step = |p: LoadProfile, &v: &Node| p.then(stop(v as usize));
    if rev {
        piece.iter().rev().fold(LoadProfile::EMPTY, step)
    } else {
        piece.iter().fold(LoadProfile::EMPTY, step)
    }
}

impl Route {
    /// Rebuilds the prefix and suffix profiles (none for summed loads).
    pub(super) fn fill_loads(&mut self, c: &Cluster<'_>) {
        let k = c.load_dims();
        let n = self.nodes.len();
        self.lp.clear();
        self.ls.clear();
        if k == 0 {
            return;
        }
        self.lp.resize(n * k, LoadProfile::EMPTY);
        self.ls.resize(n * k, LoadProfile::EMPTY);
        for d in 0..k {
            let mut acc = LoadProfile::EMPTY;
            for (t, &v) in self.nodes.iter().enumerate() {
                acc = acc.then(c.dimension_load(v as usize, d));
                self.lp[t * k + d] = acc;
            }
            let mut acc = LoadProfile::EMPTY;
            for (t, &v) in self.nodes.iter().enumerate().rev() {
                acc = c.dimension_load(v as usize, d).then(acc);
                self.ls[t * k + d] = acc;
            }
        }
    }

    /// Profile in dimension `d` of padded positions `from..=to` walked as
    /// `rev` says: O(1) for a forward prefix or suffix, else a walk of the
    /// piece.
    #[inline]
    fn profile_of(&self, c: &Cluster<'_>, d: usize, from: usize, to: usize, rev: bool) -> LoadProfile {
        let k = c.load_dims();
        if !rev && from == 0 {
            return self.lp[to * k + d];
        }
        if !rev && to == self.nodes.len() - 1 {
            return self.ls[from * k + d];
        }
        walked_profile(&self.nodes[from..=to], rev, |v| c.dimension_load(v, d))
    }

    /// True if the route with `new` inserted after padded position `t`
    /// fits `limits` in every capacity dimension (its peak on board, the
    /// pickup order, each trip of a route that reloads).
    #[inline]
    pub fn load_fits_with(&self, c: &Cluster<'_>, limits: &Limits, t: usize, new: &[Node]) -> bool {
        let k = c.load_dims();
        if k == 0 {
            let added: i64 = new.iter().map(|&v| c.demand[v as usize]).sum();
            return self.load() + added <= limits.capacity;
        }
        (0..k).all(|d| {
            new.iter()
                .fold(self.lp[t * k + d], |p, &v| p.then(c.dimension_load(v as usize, d)))
                .then(self.ls[(t + 1) * k + d])
                .required_capacity(c.pickup_order)
                <= limits.capacity_in(d)
        })
    }

    /// [`Route::load_fits_with`] for one town `v` (recreate's check at
    /// every position: kept small enough to inline; the general method
    /// forced inline kept its dimension loop as a call and took 27 K perf
    /// samples against 22 K on the all-rules day).
    #[inline(always)]
    pub fn load_fits_with_town(&self, c: &Cluster<'_>, limits: &Limits, t: usize, v: usize) -> bool {
        let k = c.load_dims();
        if k == 0 {
            return self.load() + c.demand[v] <= limits.capacity;
        }
        let fits = |d: usize| {
            self.lp[t * k + d]
                .then(c.dimension_load(v, d))
                .then(self.ls[(t + 1) * k + d])
                .required_capacity(c.pickup_order)
                <= limits.capacity_in(d)
        };
        fits(0) && (k == 1 || (1..k).all(fits))
    }

    /// The whole route's profile in the first dimension (empty for summed
    /// loads).
    #[inline]
    fn first_profile(&self, c: &Cluster<'_>) -> LoadProfile {
        let k = c.load_dims();
        if k == 0 {
            LoadProfile::EMPTY
        } else {
            self.lp[(self.nodes.len() - 1) * k]
        }
    }

    /// Pickups collected on the route in the first dimension (0 for
    /// summed loads).
    #[inline]
    pub fn pickup_total(&self, c: &Cluster<'_>) -> i64 {
        self.first_profile(c).open_pickup()
    }

    /// Reloads on the route (every dimension's profile counts them alike).
    #[inline]
    pub fn reloads(&self) -> u32 {
        self.lp.last().map_or(0, |p| p.reloads)
    }

    /// The load the route needs in the first dimension (its peak under the
    /// load rule).
    #[inline]
    pub fn required_capacity(&self, c: &Cluster<'_>) -> i64 {
        if c.load_dims() == 0 {
            return self.load();
        }
        self.first_profile(c).required_capacity(c.pickup_order)
    }
}

impl Routes<'_, '_> {
    /// The load part of [`Routes::price`] for clusters whose loads follow
    /// profiles: the first dimension's peak, reloads and towns into `t`,
    /// and whether every further dimension fits type `vt`.
    pub(super) fn price_loads(&self, vt: usize, segs: &[Seg], t: &mut Totals) {
        let c = self.c;
        for d in 0..c.load_dims() {
            let profile = segs.iter().fold(LoadProfile::EMPTY, |p, &s| {
                let r = &self.routes[s.route as usize];
                p.then(r.profile_of(c, d, s.from as usize, s.to as usize, s.rev))
            });
            if d == 0 {
                t.load = profile.required_capacity(c.pickup_order);
                t.reloads = profile.reloads;
                t.towns -= i64::from(profile.reloads);
            } else if profile.required_capacity(c.pickup_order) > c.types[vt].limits.capacity_in(d) {
                t.fits_extra = false;
                break;
            }
        }
    }
}
