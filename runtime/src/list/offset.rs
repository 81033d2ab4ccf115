//! `start` pages read exactly once while the list changes: each page overlaps the one before
//! it, the last record handed out is found again in it (the anchor) and the page is read on
//! from there; when the anchor is not there, the reader steps back until it is.

use std::collections::{HashSet, VecDeque};

/// Records a page overlaps the one before it in the same `batch` request.
const OVERLAP: u64 = 1;
/// Records the first page of a `batch` request overlaps the last one read: more time has
/// passed, so more records may have been deleted before it (each one moves the anchor back
/// by one), and four more records in 2,450 cost nothing. (One page a request overlaps by
/// one: four records of 49 would cost a request in twelve.)
const OVERLAP_BETWEEN_REQUESTS: u64 = 5;
/// How many of the ids handed out last are anchors.
const ANCHORS: usize = 100;

/// Where a `start` read stands.
#[derive(Debug)]
pub(crate) struct OffsetCursor {
    page_size: u64,
    /// Whether records have ids, so that anchors and repeats can be seen.
    anchored: bool,
    /// The position right after the last page read.
    offset: u64,
    /// The start of the last page read: each page starts past it, unless stepping back.
    last_start: Option<u64>,
    /// Where to read next after the anchor was not found.
    back_to: Option<u64>,
    /// The last page was short and `next` went past it: rows hidden from the caller filled
    /// it, and the next page starts at `next` itself, where no anchor can be (the row
    /// before it may be a hidden one).
    after_hidden: bool,
    /// Every id handed out: none is handed out twice.
    seen: HashSet<u64>,
    /// The last ids handed out, oldest first: the anchors.
    recent: VecDeque<u64>,
    done: bool,
}

/// What to do with a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// Hand out the records marked `true`.
    Take(Vec<bool>),
    /// Hand out nothing: no record handed out is in it, so records may lie between the last
    /// one and this page. Read again from further back.
    StepBack,
}

impl OffsetCursor {
    pub(crate) fn new(page_size: u32, anchored: bool) -> Self {
        OffsetCursor {
            page_size: u64::from(page_size.max(1)),
            anchored,
            offset: 0,
            last_start: None,
            back_to: None,
            after_hidden: false,
            seen: HashSet::new(),
            recent: VecDeque::new(),
            done: false,
        }
    }

    pub(crate) fn done(&self) -> bool {
        self.done
    }

    /// Records a page advances by in one `batch` request.
    pub(crate) fn stride(&self) -> u64 {
        self.page_size - if self.anchored { OVERLAP } else { 0 }
    }

    /// Where the next page starts: back where the anchor may be, or just before the end of
    /// the last page (after it, without ids), always past the last page's start.
    /// `first_in_request`: the first page of a `batch` request after another.
    pub(crate) fn start_for(&self, first_in_request: bool) -> u64 {
        if let Some(back) = self.back_to {
            return back;
        }
        let overlap = match (self.anchored && !self.after_hidden, first_in_request) {
            (false, _) => 0,
            (true, true) => OVERLAP_BETWEEN_REQUESTS,
            (true, false) => OVERLAP,
        };
        let start = self.offset.saturating_sub(overlap);
        self.last_start.map_or(start, |last| start.max(last + 1))
    }

    /// Takes a page at `start` with the ids of its records, the answer's `next` and `total`.
    pub(crate) fn accept(
        &mut self,
        start: u64,
        ids: &[Option<u64>],
        next: Option<u64>,
        total: Option<u64>,
    ) -> Result<Step, String> {
        let step = if self.anchored {
            self.anchored_step(start, ids, next)?
        } else {
            Step::Take(vec![true; ids.len()])
        };
        self.last_start = Some(start);
        if step == Step::StepBack {
            self.back_to = Some(start.saturating_sub(self.stride()));
            return Ok(step);
        }
        self.back_to = None;
        if let Step::Take(keep) = &step {
            self.remember(ids, keep);
        }
        self.advance(start, ids.len() as u64, next, total);
        Ok(step)
    }

    fn anchored_step(
        &self,
        start: u64,
        ids: &[Option<u64>],
        next: Option<u64>,
    ) -> Result<Step, String> {
        if let Some(i) = ids.iter().position(Option::is_none) {
            return Err(format!("record {i} of the page at {start} has no id"));
        }
        let ids: Vec<u64> = ids.iter().flatten().copied().collect();
        let from = match self.anchor(&ids) {
            Some(at) => at + 1,
            // Nothing read yet, read again from the very start, or right after hidden rows:
            // all that was not handed out is new.
            None if self.recent.is_empty() || start == 0 || self.after_hidden => 0,
            // Rows hidden from the caller fill the page; `next` goes on past them.
            None if ids.is_empty() && next.is_some_and(|next| next > start) => 0,
            None => return Ok(Step::StepBack),
        };
        let keep = ids
            .iter()
            .enumerate()
            .map(|(i, id)| i >= from && !self.seen.contains(id))
            .collect();
        Ok(Step::Take(keep))
    }

    /// Where in the page the anchor is: the record handed out last that is still there, or
    /// failing that the last record of the page that was handed out at all.
    fn anchor(&self, ids: &[u64]) -> Option<usize> {
        let latest = self
            .recent
            .iter()
            .rev()
            .find_map(|anchor| ids.iter().position(|id| id == anchor));
        latest.or_else(|| ids.iter().rposition(|id| self.seen.contains(id)))
    }

    fn remember(&mut self, ids: &[Option<u64>], keep: &[bool]) {
        for (id, keep) in ids.iter().zip(keep) {
            if let (Some(id), true) = (id, keep) {
                self.seen.insert(*id);
                self.recent.push_back(*id);
                if self.recent.len() > ANCHORS {
                    self.recent.pop_front();
                }
            }
        }
    }

    /// The end, or where the page ended. `next` wins over a `total` that disagrees with it;
    /// a short page ends the read only without a `next`; a full page without `next` ends it
    /// only when `total` says it is the last.
    fn advance(&mut self, start: u64, len: u64, next: Option<u64>, total: Option<u64>) {
        let next = next.filter(|next| *next > start);
        let last = match (len, next) {
            (0, next) => next.is_none(),
            (_, Some(_)) => false,
            (len, None) => len < self.page_size || total.is_some_and(|t| start + len >= t),
        };
        if last {
            self.done = true;
            return;
        }
        // A short page with `next` past it: rows hidden from the caller fill the rest of it.
        self.after_hidden = len < self.page_size && next.is_some_and(|next| next > start + len);
        self.offset = if self.after_hidden {
            next.unwrap_or_default()
        } else {
            start + len
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(range: std::ops::Range<u64>) -> Vec<Option<u64>> {
        range.map(Some).collect()
    }

    fn taken(step: Step) -> usize {
        match step {
            Step::Take(keep) => keep.into_iter().filter(|k| *k).count(),
            Step::StepBack => panic!("stepped back"),
        }
    }

    #[test]
    fn next_wins_over_a_total_that_disagrees() {
        let mut cursor = OffsetCursor::new(50, false);
        // `next: 50, total: 5` on a page of 2: more pages follow.
        assert_eq!(
            taken(cursor.accept(0, &ids(0..2), Some(50), Some(5)).unwrap()),
            2
        );
        assert!(!cursor.done());
        assert_eq!(cursor.start_for(true), 50);
        // A full page with neither `next` nor `total`: one more page.
        assert_eq!(
            taken(cursor.accept(50, &ids(2..52), None, None).unwrap()),
            50
        );
        assert!(!cursor.done());
        // A full page whose `total` says it is the last.
        let mut cursor = OffsetCursor::new(50, false);
        cursor.accept(0, &ids(0..50), None, Some(50)).unwrap();
        assert!(cursor.done());
    }

    #[test]
    fn pages_overlap_and_read_on_from_the_anchor() {
        let mut cursor = OffsetCursor::new(50, true);
        assert_eq!(
            taken(cursor.accept(0, &ids(0..50), Some(50), None).unwrap()),
            50
        );
        assert_eq!(cursor.start_for(false), 49);
        assert_eq!(cursor.start_for(true), 45);
        // Two records inserted before the anchor: it is found further on.
        let mut page = vec![Some(1000), Some(1001)];
        page.extend(ids(45..93));
        assert_eq!(taken(cursor.accept(45, &page, Some(95), None).unwrap()), 43);
    }

    #[test]
    fn a_missing_anchor_steps_back_until_it_is_found() {
        let mut cursor = OffsetCursor::new(50, true);
        cursor.accept(0, &ids(0..50), Some(50), None).unwrap();
        // Ten records before the anchor deleted: the page at 45 starts past it.
        let page = ids(55..100);
        assert_eq!(
            cursor.accept(45, &page, None, None).unwrap(),
            Step::StepBack
        );
        assert_eq!(cursor.start_for(true), 0);
        // Back at 0: records 10..49 were the last read; 50..59 are new.
        let mut page = ids(10..60);
        page.truncate(50);
        assert_eq!(taken(cursor.accept(0, &page, Some(50), None).unwrap()), 10);
        assert_eq!(cursor.start_for(false), 49);
    }

    #[test]
    fn ids_handed_out_are_never_handed_out_again() {
        let mut cursor = OffsetCursor::new(3, true);
        cursor.accept(0, &ids(0..3), Some(3), None).unwrap();
        // A record read before moved after the anchor (its sort key changed).
        let step = cursor
            .accept(2, &[Some(2), Some(0), Some(3)], None, Some(4))
            .unwrap();
        assert_eq!(step, Step::Take(vec![false, false, true]));
        assert!(cursor.done());
    }
}
