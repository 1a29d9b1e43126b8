//! `{column}` placeholders in a message template; `{{` and `}}` stand for literal braces.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Column(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError(pub String);

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Template {
    pub fn parse(source: &str) -> Result<Template, TemplateError> {
        let mut pieces = Vec::new();
        let mut text = String::new();
        let mut chars = source.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    text.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    text.push('}');
                }
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some('{') | None => {
                                return Err(TemplateError(format!(
                                "unclosed placeholder `{{{name}` (write {{{{ for a literal brace)"
                            )))
                            }
                            Some(c) => name.push(c),
                        }
                    }
                    let name = name.trim().to_string();
                    if name.is_empty() {
                        return Err(TemplateError("empty placeholder `{}`".into()));
                    }
                    if !text.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut text)));
                    }
                    pieces.push(Piece::Column(name));
                }
                '}' => {
                    return Err(TemplateError(
                        "unmatched `}` (write }} for a literal brace)".into(),
                    ))
                }
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            pieces.push(Piece::Text(text));
        }
        Ok(Template { pieces })
    }

    /// The columns the template reads, in order of appearance.
    pub fn columns(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Column(name) => Some(name.as_str()),
            Piece::Text(_) => None,
        })
    }

    /// Fills every placeholder with `lookup(column)`; a column it cannot find is an error.
    pub fn render<'a>(
        &self,
        lookup: impl Fn(&str) -> Option<&'a str>,
    ) -> Result<String, TemplateError> {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Column(name) => match lookup(name) {
                    Some(value) => out.push_str(value),
                    None => {
                        return Err(TemplateError(format!(
                            "no column `{name}` for the template"
                        )))
                    }
                },
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(t: &str, name: &str, city: &str) -> Result<String, TemplateError> {
        Template::parse(t)?.render(|c| match c {
            "name" => Some(name),
            "city" => Some(city),
            _ => None,
        })
    }

    #[test]
    fn placeholders_are_filled_from_columns() {
        assert_eq!(
            fill("Hola {name}, te esperamos en {city}.", "Íñigo", "Cádiz").unwrap(),
            "Hola Íñigo, te esperamos en Cádiz."
        );
        assert_eq!(fill("{ name }!", "Ana", "").unwrap(), "Ana!");
    }

    #[test]
    fn doubled_braces_are_literal() {
        assert_eq!(
            fill("{{name}} is {name}", "Ana", "").unwrap(),
            "{name} is Ana"
        );
    }

    #[test]
    fn missing_columns_and_bad_braces_are_errors() {
        assert_eq!(
            fill("Hola {surname}", "Ana", "").unwrap_err().0,
            "no column `surname` for the template"
        );
        assert!(Template::parse("Hola {name").is_err());
        assert!(Template::parse("Hola name}").is_err());
        assert!(Template::parse("Hola {}").is_err());
    }

    #[test]
    fn columns_lists_placeholders() {
        let t = Template::parse("{a} {b} {{c}}").unwrap();
        assert_eq!(t.columns().collect::<Vec<_>>(), ["a", "b"]);
    }
}
