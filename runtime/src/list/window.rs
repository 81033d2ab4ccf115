//! Id windows: each page asks for the records past the last id read, so a deleted record
//! shifts nothing, and the read ends on a page that comes back empty.

/// Where an id-window read stands.
#[derive(Debug, Clone)]
pub(crate) struct WindowCursor {
    descending: bool,
    /// The last id read (the bound of the next page); the caller's own bound before that.
    last: Option<u64>,
    page_size: usize,
    phase: Phase,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// The last page was full (or none was read): many pages may be chained.
    Reading,
    /// The last page was short: one more page past its last id must come back empty, since
    /// the portal may have hidden rows after cutting the page.
    Confirming,
    Done,
}

/// What a page says of the read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// A full page: the next page's `$result` bound resolved.
    Full,
    /// Some records, fewer than a page: confirm with one more page.
    Short,
    /// No records past the bound: the end.
    Empty,
}

impl WindowCursor {
    pub(crate) fn new(descending: bool, from: Option<u64>, page_size: u32) -> Self {
        WindowCursor {
            descending,
            last: from,
            page_size: page_size.max(1) as usize,
            phase: Phase::Reading,
        }
    }

    /// The bound of the next page.
    pub(crate) fn bound(&self) -> Option<u64> {
        self.last
    }

    /// Whether pages may be chained in one `batch` now (not while confirming an end).
    pub(crate) fn may_chain(&self) -> bool {
        self.phase == Phase::Reading
    }

    pub(crate) fn done(&self) -> bool {
        self.phase == Phase::Done
    }

    /// Takes a page's ids: each must lie past the bound and past the one before it, in the
    /// direction read; otherwise the portal did not keep the order asked for, and going on
    /// could miss records.
    pub(crate) fn accept(&mut self, ids: &[Option<u64>]) -> Result<Verdict, String> {
        for (i, id) in ids.iter().enumerate() {
            let Some(id) = *id else {
                return Err(format!("record {i} of a page has no id"));
            };
            if let Some(last) = self.last {
                let onward = if self.descending {
                    id < last
                } else {
                    id > last
                };
                if !onward {
                    let sign = if self.descending { '<' } else { '>' };
                    return Err(format!(
                        "the portal answered id {id} for ids {sign} {last}: it does not sort \
                         or filter by the id as asked"
                    ));
                }
            }
            self.last = Some(id);
        }
        let verdict = match ids.len() {
            0 => Verdict::Empty,
            n if n >= self.page_size => Verdict::Full,
            _ => Verdict::Short,
        };
        self.phase = match verdict {
            Verdict::Full => Phase::Reading,
            Verdict::Short => Phase::Confirming,
            Verdict::Empty => Phase::Done,
        };
        Ok(verdict)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(ids: std::ops::RangeInclusive<u64>) -> Vec<Option<u64>> {
        ids.map(Some).collect()
    }

    #[test]
    fn a_short_page_is_confirmed_and_an_empty_one_ends_the_read() {
        let mut cursor = WindowCursor::new(false, None, 50);
        assert_eq!(cursor.accept(&page(1..=50)), Ok(Verdict::Full));
        assert_eq!(cursor.bound(), Some(50));
        assert!(cursor.may_chain());
        assert_eq!(cursor.accept(&page(52..=60)), Ok(Verdict::Short));
        assert!(!cursor.may_chain() && !cursor.done());
        assert_eq!(cursor.accept(&page(61..=61)), Ok(Verdict::Short));
        assert_eq!(cursor.accept(&[]), Ok(Verdict::Empty));
        assert!(cursor.done());
    }

    #[test]
    fn ids_out_of_order_or_missing_stop_the_read() {
        let mut cursor = WindowCursor::new(false, Some(10), 50);
        let err = cursor.accept(&[Some(11), Some(11)]).unwrap_err();
        assert!(err.contains("id 11 for ids > 11"), "{err}");
        let mut cursor = WindowCursor::new(false, Some(10), 50);
        assert!(cursor.accept(&[Some(3)]).is_err());
        assert!(cursor.accept(&[None]).unwrap_err().contains("no id"));
        let mut down = WindowCursor::new(true, Some(100), 2);
        assert_eq!(down.accept(&[Some(99), Some(7)]), Ok(Verdict::Full));
        assert!(down.accept(&[Some(8)]).is_err());
    }
}
