//! Capacities of one short message and the split of a long text into parts.
//!
//! A short message carries 140 octets of user data (3GPP TS 23.040 §9.2.3.16). A concatenated
//! message spends 6 of them on the user data header: UDHL plus the concatenation IE with an 8-bit
//! reference (IEI 00, length 3; §9.2.3.24.1). Each national language shift IE (IEI 24/25, length 1;
//! §9.2.3.24.15/16) adds 3 more. For GSM-7 the header is padded to a septet boundary, so a part
//! holds ⌊(140 − header octets) × 8 / 7⌋ septets.

/// User data octets in one short message (TS 23.040 §9.2.3.16).
const USER_DATA_OCTETS: usize = 140;
/// UDHL + concatenation IE with an 8-bit reference number.
const CONCAT_HEADER_OCTETS: usize = 6;
/// One national language single or locking shift IE.
const SHIFT_IE_OCTETS: usize = 3;

/// How many units (septets or UTF-16 code units) a message can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Capacity {
    /// A message that travels as one short message.
    pub single: usize,
    /// Each part of a concatenated message.
    pub per_part: usize,
}

impl Capacity {
    /// UCS-2: 140 / 2 = 70 units alone, (140 − 6) / 2 = 67 per part.
    pub const UCS2: Capacity = Capacity {
        single: USER_DATA_OCTETS / 2,
        per_part: (USER_DATA_OCTETS - CONCAT_HEADER_OCTETS) / 2,
    };

    /// GSM-7 with `shift_ies` national language shift IEs in the header:
    /// 160/153 with none, 155/149 with one, 152/146 with two.
    pub const fn gsm7(shift_ies: usize) -> Capacity {
        let single_header = if shift_ies == 0 {
            0
        } else {
            1 + SHIFT_IE_OCTETS * shift_ies
        };
        let part_header = CONCAT_HEADER_OCTETS + SHIFT_IE_OCTETS * shift_ies;
        Capacity {
            single: septets_in(USER_DATA_OCTETS - single_header),
            per_part: septets_in(USER_DATA_OCTETS - part_header),
        }
    }
}

const fn septets_in(octets: usize) -> usize {
    octets * 8 / 7
}

/// Walks a text one character at a time and records where each part of a concatenated message
/// starts. A character is never cut: an escape pair (2 septets) or a surrogate pair (2 units)
/// that would overflow a part opens the next one, leaving that part one unit short.
#[derive(Debug)]
pub(crate) struct Splitter {
    per_part: usize,
    current: usize,
    total: usize,
    starts: Vec<usize>,
    part_units: Vec<usize>,
}

/// The parts of a text, as byte ranges turned into strings once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Split {
    pub units: usize,
    pub parts: Vec<String>,
    pub part_units: Vec<usize>,
}

impl Splitter {
    pub fn new(per_part: usize) -> Self {
        Splitter {
            per_part,
            current: 0,
            total: 0,
            starts: Vec::new(),
            part_units: Vec::new(),
        }
    }

    /// Units the current part can still take.
    #[inline]
    pub fn room(&self) -> usize {
        self.per_part - self.current
    }

    /// Adds the character starting at byte `at`, which costs `units`.
    #[inline]
    pub fn push(&mut self, at: usize, units: usize) {
        if self.current + units > self.per_part {
            self.starts.push(at);
            self.part_units.push(self.current);
            self.current = 0;
        }
        self.current += units;
        self.total += units;
    }

    /// Adds a run of characters known to fit in the current part (`units <= room()`).
    #[inline]
    pub fn push_run(&mut self, units: usize) {
        debug_assert!(units <= self.room());
        self.current += units;
        self.total += units;
    }

    /// Segments the text needs given the capacity of a message sent alone.
    pub fn segments(&self, single: usize) -> usize {
        if self.total <= single {
            1
        } else {
            self.starts.len() + 1
        }
    }

    /// Units the last segment could still take.
    pub fn remaining(&self, capacity: Capacity) -> usize {
        if self.total <= capacity.single {
            capacity.single - self.total
        } else {
            capacity.per_part - self.current
        }
    }

    pub fn finish(mut self, text: &str, single: usize) -> Split {
        if self.total <= single {
            return Split {
                units: self.total,
                parts: vec![text.to_owned()],
                part_units: vec![self.total],
            };
        }
        self.part_units.push(self.current);
        let mut parts = Vec::with_capacity(self.starts.len() + 1);
        let mut from = 0;
        for &to in &self.starts {
            parts.push(text[from..to].to_owned());
            from = to;
        }
        parts.push(text[from..].to_owned());
        Split {
            units: self.total,
            parts,
            part_units: self.part_units,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacities_follow_the_header_size() {
        assert_eq!(
            Capacity::gsm7(0),
            Capacity {
                single: 160,
                per_part: 153
            }
        );
        assert_eq!(
            Capacity::gsm7(1),
            Capacity {
                single: 155,
                per_part: 149
            }
        );
        assert_eq!(
            Capacity::gsm7(2),
            Capacity {
                single: 152,
                per_part: 146
            }
        );
        assert_eq!(
            Capacity::UCS2,
            Capacity {
                single: 70,
                per_part: 67
            }
        );
    }

    #[test]
    fn a_two_unit_character_never_straddles_parts() {
        let text = format!("{}€x", "a".repeat(152));
        let mut s = Splitter::new(153);
        for (i, c) in text.char_indices() {
            s.push(i, if c == '€' { 2 } else { 1 });
        }
        let split = s.finish(&text, 150);
        assert_eq!(split.parts, vec!["a".repeat(152), "€x".to_string()]);
        assert_eq!(split.part_units, vec![152, 3]);
        assert_eq!(split.units, 155);
    }

    #[test]
    fn a_text_within_the_single_capacity_is_one_part() {
        let mut s = Splitter::new(153);
        for i in 0..160 {
            s.push(i, 1);
        }
        assert_eq!(s.segments(160), 1);
        assert_eq!(s.segments(159), 2);
        let split = s.finish(&"a".repeat(160), 160);
        assert_eq!(split.parts.len(), 1);
    }
}
