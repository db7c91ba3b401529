//! Enums written as text by name — in the question log's columns, in
//! `--json` output, in log lines — and read back by the same names: one
//! way to name them, parse them, and refuse a name that is none of theirs.
//!
//! A type lists its values and their names ([`Named`]), and
//! [`by_name!`](crate::names::by_name) gives it `Display` and `FromStr`
//! from that list, so that writing and reading cannot disagree.

/// An enum with a fixed set of values, each with one name.
pub trait Named: Copy + 'static {
    /// Every value.
    const ALL: &'static [Self];
    /// What a value is, for messages: "decision", "kind of chat".
    const WHAT: &'static str;
    /// The value's name, as written and read.
    fn name(self) -> &'static str;
}

/// A name that is none of a type's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name:?} is not a {what} ({known})")]
pub struct UnknownName {
    /// The name read, as it was.
    pub name: String,
    pub what: &'static str,
    /// The names there are: "en or ko".
    pub known: String,
}

/// The value named `text`, and only by its own name: no other case, no
/// spaces, no default.
pub fn parse<T: Named>(text: &str) -> Result<T, UnknownName> {
    T::ALL
        .iter()
        .copied()
        .find(|value| value.name() == text)
        .ok_or_else(|| {
            let names: Vec<&str> = T::ALL.iter().map(|value| value.name()).collect();
            let known = match names.split_last() {
                Some((last, [])) => (*last).to_owned(),
                Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
                None => String::new(),
            };
            UnknownName {
                name: text.to_owned(),
                what: T::WHAT,
                known,
            }
        })
}

/// `Display` and `FromStr` for a [`Named`] type, by its names.
macro_rules! by_name {
    ($type:ty) => {
        impl std::fmt::Display for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::names::Named::name(*self))
            }
        }

        impl std::str::FromStr for $type {
            type Err = $crate::names::UnknownName;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                $crate::names::parse(text)
            }
        }
    };
}
pub(crate) use by_name;

/// For the tests of each [`Named`] type: `names` lists every value once,
/// in [`Named::ALL`]'s order, each written and read back as its name;
/// and each of `unknown` is refused, named in the error.
#[cfg(test)]
pub fn assert_names<T>(names: &[(T, &str)], unknown: &[&str])
where
    T: Named
        + std::fmt::Debug
        + std::fmt::Display
        + PartialEq
        + std::str::FromStr<Err = UnknownName>,
{
    let values: Vec<T> = names.iter().map(|(value, _)| *value).collect();
    assert_eq!(values, T::ALL, "every value, once, in order");
    for (value, name) in names {
        assert_eq!(value.to_string(), *name);
        assert_eq!(name.parse::<T>(), Ok(*value), "{name}");
    }
    for name in unknown {
        let error = name.parse::<T>().unwrap_err();
        assert_eq!(error.name, *name);
        // Named with what could hide it escaped, and the names there are.
        let message = error.to_string();
        assert!(
            message.starts_with(&format!("{name:?} is not a {} (", T::WHAT)),
            "{message}"
        );
        assert!(message.contains(names[0].1), "{message}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Fruit {
        Apple,
        Pear,
        Plum,
    }

    impl Named for Fruit {
        const ALL: &'static [Fruit] = &[Fruit::Apple, Fruit::Pear, Fruit::Plum];
        const WHAT: &'static str = "fruit";
        fn name(self) -> &'static str {
            match self {
                Fruit::Apple => "apple",
                Fruit::Pear => "pear",
                Fruit::Plum => "plum",
            }
        }
    }

    by_name!(Fruit);

    #[test]
    fn names_round_trip_and_an_unknown_one_is_refused_naming_it() {
        assert_names(
            &[
                (Fruit::Apple, "apple"),
                (Fruit::Pear, "pear"),
                (Fruit::Plum, "plum"),
            ],
            &["Apple", " apple", "", "ap\u{202E}ple"],
        );
        assert_eq!(
            "fig".parse::<Fruit>().unwrap_err().to_string(),
            "\"fig\" is not a fruit (apple, pear or plum)"
        );
        assert!(
            "ap\u{202E}ple"
                .parse::<Fruit>()
                .unwrap_err()
                .to_string()
                .contains("ap\\u{202e}ple")
        );
    }
}
