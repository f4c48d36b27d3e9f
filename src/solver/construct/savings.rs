//! Parallel Clarke–Wright savings (merges taken from one global savings list).
//!
//! Savings use the generalised formula of Altınel & Öncan (2005):
//! `s_ij = d0i + d0j − λ·dij + μ·|d0i − d0j| + ν·(qi + qj)/q̄ · d̄0`
//! (`d̄0` the mean depot distance, so ν is unit-free). Pairs come from the
//! neighbour lists (granular savings); the list is sorted with a total order
//! (saving, then node indices), so the result never depends on thread timing.
//! Merges keep an index of route ends and may reverse a route; with
//! asymmetric distances each route carries its forward and reverse length so
//! every orientation is priced in O(1). With pickups or several capacity
//! dimensions each route carries its load profile both ways in every
//! dimension too ([`LoadProfile`], the load rule), so a merge is checked
//! against the peak on board and the pickup order in O(1).

use crate::model::LoadProfile;
use crate::solver::cluster::Cluster;
use crate::solver::neighbours::Neighbours;
use rayon::prelude::*;

/// Shape parameters of the savings formula.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SavingsParams {
    /// Weight of the joining arc (route shape), classic value 1.
    pub lambda: f64,
    /// Weight of the asymmetry of depot distances.
    pub mu: f64,
    /// Weight of the demands.
    pub nu: f64,
}

impl Default for SavingsParams {
    fn default() -> Self {
        SavingsParams {
            lambda: 1.0,
            mu: 0.0,
            nu: 0.0,
        }
    }
}

/// Candidate pairs `(i, j)`, `i < j`, with their symmetric distance; shared by
/// every parameter variant of one cluster.
#[derive(Debug, Clone)]
pub struct SavingsPairs {
    pairs: Vec<(u32, u32, i64)>,
    depot_dist: Vec<i64>,
    mean_depot_dist: f64,
    mean_demand: f64,
}

fn sym(c: &Cluster<'_>, i: usize, j: usize) -> i64 {
    (c.dist(i, j).saturating_add(c.dist(j, i))) / 2
}

impl SavingsPairs {
    /// Every pair `{i, j}` where one is among the other's neighbours.
    pub fn new(cluster: &Cluster<'_>, neighbours: &Neighbours) -> SavingsPairs {
        let n = cluster.num_nodes();
        let mut pairs: Vec<(u32, u32, i64)> = (1..n)
            .into_par_iter()
            .flat_map_iter(|i| {
                neighbours.of(i).iter().filter_map(move |&j| {
                    let j = j as usize;
                    // Keep (i, j) from i's list; from j's list only if i is not in it too.
                    if i < j || !neighbours.of(j).contains(&(i as u32)) {
                        let (a, b) = if i < j { (i, j) } else { (j, i) };
                        Some((a as u32, b as u32, sym(cluster, a, b)))
                    } else {
                        None
                    }
                })
            })
            .collect();
        pairs.par_sort_unstable();
        pairs.dedup();
        let depot_dist: Vec<i64> = (0..n).map(|i| sym(cluster, 0, i)).collect();
        let towns = (n - 1).max(1) as f64;
        SavingsPairs {
            pairs,
            mean_depot_dist: depot_dist[1..].iter().map(|&d| d as f64).sum::<f64>() / towns,
            mean_demand: (cluster.demand.iter().sum::<i64>() as f64 / towns).max(1e-9),
            depot_dist,
        }
    }

    /// Positive savings sorted best first (ties by node indices).
    fn sorted(&self, cluster: &Cluster<'_>, p: SavingsParams) -> Vec<(f64, u32, u32)> {
        let d0 = &self.depot_dist;
        let demand_scale = p.nu * self.mean_depot_dist / self.mean_demand;
        let mut s: Vec<(f64, u32, u32)> = self
            .pairs
            .par_iter()
            .filter_map(|&(i, j, dij)| {
                let (a, b) = (d0[i as usize] as f64, d0[j as usize] as f64);
                let q = (cluster.demand[i as usize] + cluster.demand[j as usize]) as f64;
                let v = a + b - p.lambda * dij as f64 + p.mu * (a - b).abs() + demand_scale * q;
                (v > 0.0).then_some((v, i, j))
            })
            .collect();
        s.par_sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        s
    }
}

/// Per-route bookkeeping during merging; index 0/1 = forward/reverse.
#[derive(Debug, Clone, Copy)]
struct RouteEnds {
    first: u32,
    last: u32,
    size: u32,
    load: i64,
    dist: [i64; 2],
    time: [i64; 2],
}

impl RouteEnds {
    fn head(&self, o: usize) -> usize {
        (if o == 0 { self.first } else { self.last }) as usize
    }
    fn tail(&self, o: usize) -> usize {
        (if o == 0 { self.last } else { self.first }) as usize
    }
}

const NONE: u32 = 0;

/// Builds routes (sequences of town nodes) by parallel savings.
pub fn savings_routes(cluster: &Cluster<'_>, pairs: &SavingsPairs, params: SavingsParams) -> Vec<Vec<usize>> {
    let n = cluster.num_nodes();
    let mut next = vec![NONE; n];
    let mut prev = vec![NONE; n];
    let mut route_of: Vec<u32> = (0..n as u32).collect();
    let mut routes: Vec<RouteEnds> = (0..n)
        .map(|i| {
            let d = cluster.dist(0, i) + cluster.dist(i, 0);
            let t = cluster.time(0, i) + cluster.service[i] + cluster.time(i, 0);
            RouteEnds {
                first: i as u32,
                last: i as u32,
                size: 1,
                load: cluster.demand[i],
                dist: [d, d],
                time: [t, t],
            }
        })
        .collect();
    let lim = cluster.limits;
    // With pickups (or several capacity dimensions) the load on board is
    // not the sum of deliveries: each route's profile both ways (index as in
    // `RouteEnds`) in every dimension, at `route id * dims + dimension`.
    let dims = cluster.load_dims();
    let mut loads: Vec<[LoadProfile; 2]> = (0..n)
        .flat_map(|i| (0..dims).map(move |d| (i, d)))
        .map(|(i, d)| {
            let stop = cluster.dimension_load(i, d);
            [stop; 2]
        })
        .collect();

    // A town the cluster's one vehicle type may not serve stays alone (the
    // fleet hand-out gives it to a type that may, or to the pool).
    let barred = |v: usize| cluster.types.len() == 1 && !cluster.serves(v, 0);

    for (_, i, j) in pairs.sorted(cluster, params) {
        let (i, j) = (i as usize, j as usize);
        if barred(i) || barred(j) {
            continue;
        }
        let (ra, rb) = (route_of[i] as usize, route_of[j] as usize);
        if ra == rb {
            continue;
        }
        let is_end = |v: usize| prev[v] == NONE || next[v] == NONE;
        if !is_end(i) || !is_end(j) {
            continue;
        }
        let (a, b) = (routes[ra], routes[rb]);
        if a.load + b.load > lim.capacity || !lim.allows_stops(i64::from(a.size + b.size)) {
            continue;
        }
        // The load on board at its peak, joined either way round.
        let fits = |x: usize, ox: usize, y: usize, oy: usize| {
            (0..dims).all(|d| {
                let (px, py) = (loads[x * dims + d][ox], loads[y * dims + d][oy]);
                px.then(py).required_capacity(cluster.pickup_order) <= lim.capacity_in(d)
            })
        };
        // Orientations (x then y, x in orientation ox, y in oy) joining i and j,
        // fewest reversals first so ties keep routes as they are.
        let mut best: Option<(i64, usize, usize, bool)> = None; // (dist, ox, oy, a_first)
        for (ox, oy) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
            for a_first in [true, false] {
                let (x, y) = if a_first { (&a, &b) } else { (&b, &a) };
                let (xi, yj) = if a_first { (i, j) } else { (j, i) };
                if x.tail(ox) != xi || y.head(oy) != yj {
                    continue;
                }
                let (rx, ry) = if a_first { (ra, rb) } else { (rb, ra) };
                if !fits(rx, ox, ry, oy) {
                    continue;
                }
                let (t, h) = (x.tail(ox), y.head(oy));
                let d = x.dist[ox] + y.dist[oy] - cluster.dist(t, 0) - cluster.dist(0, h) + cluster.dist(t, h);
                let tm = x.time[ox] + y.time[oy] - cluster.time(t, 0) - cluster.time(0, h) + cluster.time(t, h);
                if !lim.allows(0, d, tm) || best.is_some_and(|(bd, ..)| d >= bd) {
                    continue;
                }
                // Opening hours: time the merged route stop by stop (the
                // summed times above are only a lower bound with waiting).
                if cluster.windowed {
                    let times = cluster.route_times(walk(x, ox, &next, &prev).chain(walk(y, oy, &next, &prev)));
                    if !cluster.allows(0, d, &times) {
                        continue;
                    }
                }
                best = Some((d, ox, oy, a_first));
            }
        }
        let Some((_, ox, oy, a_first)) = best else {
            continue;
        };
        let (rx, ry) = if a_first { (ra, rb) } else { (rb, ra) };
        for (r, o) in [(rx, ox), (ry, oy)] {
            if o == 1 {
                reverse(&mut routes[r], &mut next, &mut prev);
                for l in &mut loads[r * dims..(r + 1) * dims] {
                    l.swap(0, 1);
                }
            }
        }
        let (x, y) = (routes[rx], routes[ry]);
        let (t, h) = (x.last as usize, y.first as usize);
        next[t] = h as u32;
        prev[h] = t as u32;
        // Reverse of x+y is rev(y)+rev(x): joined at h → t.
        let merged = RouteEnds {
            first: x.first,
            last: y.last,
            size: x.size + y.size,
            load: x.load + y.load,
            dist: [
                x.dist[0] + y.dist[0] - cluster.dist(t, 0) - cluster.dist(0, h) + cluster.dist(t, h),
                y.dist[1] + x.dist[1] - cluster.dist(h, 0) - cluster.dist(0, t) + cluster.dist(h, t),
            ],
            time: [
                x.time[0] + y.time[0] - cluster.time(t, 0) - cluster.time(0, h) + cluster.time(t, h),
                y.time[1] + x.time[1] - cluster.time(h, 0) - cluster.time(0, t) + cluster.time(h, t),
            ],
        };
        // Keep the larger route's id; relabel the smaller one's nodes.
        let (keep, gone) = if x.size >= y.size { (rx, ry) } else { (ry, rx) };
        let mut v = routes[gone].first as usize;
        for _ in 0..routes[gone].size {
            route_of[v] = keep as u32;
            v = next[v] as usize;
        }
        routes[keep] = merged;
        for d in 0..dims {
            // Reverse of x+y is rev(y)+rev(x).
            let (lx, ly) = (loads[rx * dims + d], loads[ry * dims + d]);
            loads[keep * dims + d] = [lx[0].then(ly[0]), ly[1].then(lx[1])];
        }
    }

    let mut out = Vec::new();
    for s in 1..n {
        if prev[s] == NONE {
            let mut r = Vec::with_capacity(routes[route_of[s] as usize].size as usize);
            let mut v = s;
            while v != NONE as usize {
                r.push(v);
                v = next[v] as usize;
            }
            out.push(r);
        }
    }
    out
}

/// The towns of route `r` in orientation `o` (0 = first to last).
fn walk<'a>(r: &RouteEnds, o: usize, next: &'a [u32], prev: &'a [u32]) -> impl Iterator<Item = usize> + Clone + 'a {
    let (start, links) = if o == 0 { (r.first, next) } else { (r.last, prev) };
    std::iter::successors(Some(start as usize), move |&v| {
        let w = links[v];
        (w != NONE).then_some(w as usize)
    })
}

/// Reverses a route's linked list in place.
fn reverse(r: &mut RouteEnds, next: &mut [u32], prev: &mut [u32]) {
    let mut v = r.first as usize;
    while v != NONE as usize {
        let nx = next[v];
        std::mem::swap(&mut next[v], &mut prev[v]);
        v = nx as usize;
    }
    std::mem::swap(&mut r.first, &mut r.last);
    r.dist.swap(0, 1);
    r.time.swap(0, 1);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distance::build_oracle;
    use crate::model::{Location, PickupOrder, ProblemBuilder, TownSpec, VehicleTypeSpec};
    use crate::rng::SeededRng;

    /// Towns that drop and collect: the sum of deliveries fits every merge
    /// the old check allowed, but the peak on board (or, deliveries first,
    /// the order) must hold too.
    fn mixed_problem(seed: u64, order: PickupOrder) -> crate::model::Problem {
        towns_problem(seed, order, false)
    }

    /// 60 towns with deliveries and pickups; with `restricted`, every third
    /// town may be served by the second vehicle type only.
    fn towns_problem(seed: u64, order: PickupOrder, restricted: bool) -> crate::model::Problem {
        let mut rng = SeededRng::new(seed, 3);
        let mut b = ProblemBuilder::new("pickups").depot("D", Location::Planar { x: 500.0, y: 500.0 });
        for i in 0..60 {
            let (x, y) = (rng.below(1000) as f64, rng.below(1000) as f64);
            let mut town = TownSpec::new(format!("T{i}"), Location::Planar { x, y }, rng.below(6) as f64);
            town.pickup = (rng.below(8) as f64).into();
            town.vehicle_types = (restricted && i % 3 == 0).then(|| vec!["w".to_string()]);
            b = b.town_spec(town);
        }
        let mut p = b
            .vehicle_type(VehicleTypeSpec::new("v", "D", 20.0))
            .vehicle_type(VehicleTypeSpec::new("w", "D", 20.0))
            .build()
            .unwrap();
        p.pickup_order = order;
        p
    }

    #[test]
    fn merges_keep_the_peak_on_board_and_the_pickup_order() {
        for order in [PickupOrder::Any, PickupOrder::DeliveriesFirst] {
            for seed in 0..8 {
                let p = mixed_problem(seed, order);
                let oracle = build_oracle(&p).unwrap();
                let towns: Vec<usize> = (0..p.towns.len()).collect();
                let c = Cluster::new(&p, oracle.as_ref(), 0, &towns, 0);
                assert!(c.pickups);
                let nbrs = Neighbours::new(&c, 10);
                let routes = savings_routes(&c, &SavingsPairs::new(&c, &nbrs), SavingsParams::default());
                assert!(routes.iter().any(|r| r.len() > 1), "seed {seed}: nothing merged");
                // (A backhaul alone breaks deliveries first: savings only
                // leaves it as it is.)
                for r in routes.iter().filter(|r| r.len() > 1) {
                    let need = c.required_capacity(r.iter().copied());
                    assert!(need <= c.limits.capacity, "{order:?} seed {seed}: {r:?} needs {need}");
                }
            }
        }
    }

    #[test]
    fn a_town_the_type_may_not_serve_is_left_alone() {
        let p = towns_problem(5, PickupOrder::Any, true);
        let oracle = build_oracle(&p).unwrap();
        let towns: Vec<usize> = (0..p.towns.len()).collect();
        let c = Cluster::new(&p, oracle.as_ref(), 0, &towns, 0);
        assert!(c.restricted());
        let nbrs = Neighbours::new(&c, 10);
        let mut routes = savings_routes(&c, &SavingsPairs::new(&c, &nbrs), SavingsParams::default());
        assert!(routes.iter().any(|r| r.len() > 1), "nothing merged");
        let merged_only_served = |routes: &[Vec<usize>], after: &str| {
            for r in routes.iter().filter(|r| r.len() > 1) {
                for &v in r {
                    assert!(c.serves(v, 0), "{after}: {} (type w only) merged into {r:?}", p.towns[c.towns[v]].id);
                }
            }
        };
        merged_only_served(&routes, "savings");
        // The polish (the search's descent) leaves them alone too.
        crate::solver::polish_routes(&c, &nbrs, &crate::solver::search::SearchParams::default(), &mut routes);
        merged_only_served(&routes, "polish");
        // The second type's cluster may serve every town.
        let c = Cluster::new(&p, oracle.as_ref(), 0, &towns, 1);
        assert!(!c.restricted());
    }

    /// A second dimension (volume) that binds before the first: merges
    /// keep both.
    #[test]
    fn merges_keep_every_capacity_dimension() {
        use crate::model::Amount;
        let mut rng = SeededRng::new(9, 3);
        let mut b = ProblemBuilder::new("two dimensions").depot("D", Location::Planar { x: 500.0, y: 500.0 });
        for i in 0..60 {
            let (x, y) = (rng.below(1000) as f64, rng.below(1000) as f64);
            let mut town = TownSpec::new(format!("T{i}"), Location::Planar { x, y }, 1.0);
            town.demand = Amount::Several(vec![1.0, 1.0 + rng.below(5) as f64]);
            b = b.town_spec(town);
        }
        let mut vehicle = VehicleTypeSpec::new("v", "D", 100.0);
        vehicle.capacity = Amount::Several(vec![100.0, 12.0]);
        let p = b.vehicle_type(vehicle).build().unwrap();
        let oracle = build_oracle(&p).unwrap();
        let towns: Vec<usize> = (0..p.towns.len()).collect();
        let c = Cluster::new(&p, oracle.as_ref(), 0, &towns, 0);
        assert_eq!(c.extra_dims, 1);
        let nbrs = Neighbours::new(&c, 10);
        let routes = savings_routes(&c, &SavingsPairs::new(&c, &nbrs), SavingsParams::default());
        assert!(routes.iter().any(|r| r.len() > 1), "nothing merged");
        for r in &routes {
            assert!(c.load_fits(&c.limits, r), "{r:?} is over a capacity");
        }
    }
}
