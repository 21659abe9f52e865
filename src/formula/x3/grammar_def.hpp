#pragma once
// The rule bodies of the formula grammar. Included only by grammar.cpp, which instantiates
// the grammar once for the whole library.

#include <boost/spirit/home/x3.hpp>
#include <cstddef>
#include <string_view>

#include "arscore/core/utf8.hpp"
#include "ast.hpp"
#include "ast_adapted.hpp"

namespace arscore::formula::detail::grammar {

namespace x3 = boost::spirit::x3;
using Iterator = const char*;

// ---------------------------------------------------------------------------------------------
// Nesting depth guard: every recursive entry (parentheses, prefix operators, exponents,
// conditionals, call arguments) goes through guard[], which counts depth in the context and
// throws DepthExceeded past the limit, so 100 000 nested parentheses never overflow the stack.
struct depth_tag;
struct DepthState {
  std::size_t depth = 0;
  std::size_t max_depth = 0;
};
struct DepthExceeded {
  Iterator where;
};

template <typename Subject>
struct depth_guard : x3::unary_parser<Subject, depth_guard<Subject>> {
  using base_type = x3::unary_parser<Subject, depth_guard<Subject>>;
  static bool const is_pass_through_unary = true;
  static bool const handles_container = Subject::handles_container;
  constexpr explicit depth_guard(Subject const& inner) : base_type(inner) {}

  template <typename It, typename Context, typename RContext, typename Attribute>
  bool parse(It& first, It const& last, Context const& context, RContext& rcontext,
             Attribute& attribute) const {
    DepthState& state = x3::get<depth_tag>(context).get();
    if (state.depth >= state.max_depth) {
      x3::skip_over(first, last, context);
      throw DepthExceeded{first};
    }
    ++state.depth;
    struct Leave {
      DepthState& s;
      ~Leave() { --s.depth; }
    } leave{state};
    return this->subject.parse(first, last, context, rcontext, attribute);
  }
};
struct depth_guard_gen {
  template <typename Subject>
  constexpr depth_guard<typename x3::extension::as_parser<Subject>::value_type> operator[](
      Subject const& inner) const {
    return depth_guard<typename x3::extension::as_parser<Subject>::value_type>(
        x3::as_parser(inner));
  }
};
constexpr depth_guard_gen guard{};

// ---------------------------------------------------------------------------------------------
// Name characters: Unicode letters (Latin, Greek, Cyrillic, Hebrew, Arabic, Indic, Thai, CJK,
// kana, Hangul, full-width Latin), ASCII letters, '_', and after the first, digits and
// combining marks. Punctuation, operators (× ÷ ≤ ≥ ≠), full-width brackets and invisible
// characters are not name characters.
inline bool is_letter(char32_t c) {
  if (c < 0x80) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }
  return (c >= 0x00C0 && c <= 0x024F && c != 0x00D7 && c != 0x00F7) ||
         (c >= 0x0250 && c <= 0x02AF) || (c >= 0x0370 && c <= 0x03FF && c != 0x037E) ||
         (c >= 0x0400 && c <= 0x052F) || (c >= 0x0531 && c <= 0x058F) ||
         (c >= 0x05D0 && c <= 0x05EA) || (c >= 0x0620 && c <= 0x064A) ||
         (c >= 0x0900 && c <= 0x0E7F) || (c >= 0x1100 && c <= 0x11FF) ||
         (c >= 0x1E00 && c <= 0x1FFF) || (c >= 0x3040 && c <= 0x30FF && c != 0x30FB) ||
         (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A) ||
         (c >= 0xFF66 && c <= 0xFF9F) || (c >= 0x20000 && c <= 0x2FA1F);
}
inline bool is_name_continue(char32_t c) {
  return is_letter(c) || (c >= '0' && c <= '9') || (c >= 0x0300 && c <= 0x036F) ||
         (c >= 0xFF10 && c <= 0xFF19);
}

template <bool Start>
struct name_char_parser : x3::parser<name_char_parser<Start>> {
  using attribute_type = x3::unused_type;
  static bool const has_attribute = false;

  template <typename Context, typename RContext, typename Attribute>
  bool parse(Iterator& first, Iterator const& last, Context const& context, RContext&,
             Attribute&) const {
    x3::skip_over(first, last, context);
    if (first == last) {
      return false;
    }
    const std::string_view rest(first, static_cast<std::size_t>(last - first));
    const auto decoded = decode_utf8(rest, 0);
    if (!decoded ||
        !(Start ? is_letter(decoded->code_point) : is_name_continue(decoded->code_point))) {
      return false;
    }
    first += decoded->length;
    return true;
  }
};
constexpr name_char_parser<true> name_start{};
constexpr name_char_parser<false> name_continue{};

// A keyword: ASCII letters matched case-insensitively, not followed by a name character.
struct keyword_parser : x3::parser<keyword_parser> {
  using attribute_type = x3::unused_type;
  static bool const has_attribute = false;
  std::string_view word;
  constexpr explicit keyword_parser(std::string_view w) : word(w) {}

  template <typename Context, typename RContext, typename Attribute>
  bool parse(Iterator& first, Iterator const& last, Context const& context, RContext& rcontext,
             Attribute& attribute) const {
    x3::skip_over(first, last, context);
    if (static_cast<std::size_t>(last - first) < word.size()) {
      return false;
    }
    for (std::size_t i = 0; i < word.size(); ++i) {
      char c = first[i];
      if (c >= 'A' && c <= 'Z') {
        c = static_cast<char>(c - 'A' + 'a');
      }
      if (c != word[i]) {
        return false;
      }
    }
    Iterator after = first + word.size();
    Iterator probe = after;
    if (name_continue.parse(probe, last, x3::unused, rcontext, attribute)) {
      return false;
    }
    first = after;
    return true;
  }
};
constexpr keyword_parser kw(std::string_view word) { return keyword_parser(word); }

}  // namespace arscore::formula::detail::grammar

namespace boost::spirit::x3 {
// "expected 'then'" rather than a mangled type name.
template <>
struct get_info<arscore::formula::detail::grammar::keyword_parser> {
  using result_type = std::string;
  std::string operator()(const arscore::formula::detail::grammar::keyword_parser& p) const {
    return "'" + std::string(p.word) + "'";
  }
};
}  // namespace boost::spirit::x3

namespace arscore::formula::detail::grammar {

// ---------------------------------------------------------------------------------------------
// Position annotation: every position_tagged node records the bytes it was parsed from.
struct position_cache_tag;
struct annotate_position {
  template <typename T, typename It, typename Context>
  void on_success(It const& first, It const& last, T& node, Context const& context) const {
    x3::get<position_cache_tag>(context).get().annotate(node, first, last);
  }
};

using x3::lexeme;
using x3::lit;
using x3::raw;
using Op = detail::Op;

// clang-format off
inline const auto skipper = lit(' ') | lit('\t') | lit('\r') | lit('\n') | lit("\u3000")
                          | lexeme[lit('#') >> *(x3::char_ - '\n')];

// Named rules, so that "expected …" messages read "expected ')'".
const x3::rule<struct open_paren_class> open_paren = "'('";
const x3::rule<struct close_paren_class> close_paren = "')'";
const x3::rule<struct comma_class> comma = "','";
const auto open_paren_def = lit('(') | lit("\uFF08");
const auto close_paren_def = lit(')') | lit("\uFF09");
const auto comma_def = lit(',') | lit("\uFF0C");
BOOST_SPIRIT_DEFINE(open_paren, close_paren, comma)

struct or_symbols : x3::symbols<Op> { or_symbols() { add("||", Op::or_); } };
struct and_symbols : x3::symbols<Op> { and_symbols() { add("&&", Op::and_); } };
struct compare_symbols : x3::symbols<Op> {
  compare_symbols() {
    add("==", Op::eq)("!=", Op::ne)("<>", Op::ne)("\u2260", Op::ne)
       ("<", Op::lt)("<=", Op::le)("\u2264", Op::le)
       (">", Op::gt)(">=", Op::ge)("\u2265", Op::ge);
  }
};
struct additive_symbols : x3::symbols<Op> {
  additive_symbols() { add("+", Op::add)("-", Op::sub)("\uFF0B", Op::add)("\uFF0D", Op::sub); }
};
struct multiplicative_symbols : x3::symbols<Op> {
  multiplicative_symbols() {
    add("*", Op::mul)("/", Op::div)("\u00D7", Op::mul)("\u00F7", Op::div);
  }
};
struct prefix_symbols : x3::symbols<Op> {
  prefix_symbols() { add("-", Op::neg)("+", Op::plus)("\uFF0D", Op::neg); }
};
struct power_symbols : x3::symbols<Op> { power_symbols() { add("^", Op::pow); } };
inline const power_symbols power_sym;
inline const or_symbols or_sym;
inline const and_symbols and_sym;
inline const compare_symbols compare_sym;
inline const additive_symbols additive_sym;
inline const multiplicative_symbols multiplicative_sym;
inline const prefix_symbols prefix_sym;

inline const auto or_op = or_sym | (kw("or") >> x3::attr(Op::or_));
inline const auto and_op = and_sym | (kw("and") >> x3::attr(Op::and_));
inline const auto not_op = (lit('!') >> !lit('=') >> x3::attr(Op::not_)) | (kw("not") >> x3::attr(Op::not_));
inline const auto in_op = (kw("in") >> x3::attr(Op::in)) | (kw("not") >> kw("in") >> x3::attr(Op::not_in));

inline const auto keyword_word = kw("and") | kw("or") | kw("not") | kw("in") | kw("if") | kw("then")
                               | kw("else") | kw("true") | kw("false") | kw("null");

// Rule IDs.
struct statement_class : annotate_position {};
struct expression_class : annotate_position {};
struct or_class : annotate_position {};
struct and_class : annotate_position {};
struct not_class : annotate_position {};
struct comparison_class : annotate_position {};
struct additive_class : annotate_position {};
struct multiplicative_class : annotate_position {};
struct prefix_class : annotate_position {};
struct power_class : annotate_position {};
struct primary_class : annotate_position {};
struct number_class : annotate_position {};
struct string_class : annotate_position {};
struct keyword_class : annotate_position {};
struct name_class : annotate_position {};
struct call_class : annotate_position {};
struct conditional_class : annotate_position {};
struct list_class : annotate_position {};
struct negation_class : annotate_position {};
struct unary_class : annotate_position {};
struct operation_class : annotate_position {};
struct or_tail_class : annotate_position {};
struct and_tail_class : annotate_position {};
struct additive_tail_class : annotate_position {};
struct multiplicative_tail_class : annotate_position {};
struct power_tail_class : annotate_position {};
struct compare_tail_class : annotate_position {};
struct in_tail_class : annotate_position {};

const x3::rule<statement_class, ast::Statement> statement = "statement";
const x3::rule<struct assignment_class, ast::Name> assignment = "assignment";
const x3::rule<expression_class, ast::Operand> expression = "expression";
const x3::rule<or_class, ast::Chain> or_expression = "expression";
const x3::rule<and_class, ast::Chain> and_expression = "expression";
const x3::rule<not_class, ast::Operand> not_expression = "expression";
const x3::rule<negation_class, ast::Prefix> negation = "'not' expression";
const x3::rule<comparison_class, ast::Chain> comparison = "expression";
const x3::rule<operation_class, ast::Operation> comparison_tail = "comparison";
const x3::rule<or_tail_class, ast::Operation> or_tail = "'or' operand";
const x3::rule<and_tail_class, ast::Operation> and_tail = "'and' operand";
const x3::rule<additive_tail_class, ast::Operation> additive_tail = "operand";
const x3::rule<multiplicative_tail_class, ast::Operation> multiplicative_tail = "operand";
const x3::rule<power_tail_class, ast::Operation> power_tail = "exponent";
const x3::rule<compare_tail_class, ast::Operation> compare_tail = "comparison";
const x3::rule<in_tail_class, ast::Operation> in_tail = "'in' list";
const x3::rule<additive_class, ast::Chain> additive = "expression";
const x3::rule<multiplicative_class, ast::Chain> multiplicative = "expression";
const x3::rule<unary_class, ast::Operand> unary = "operand";
const x3::rule<prefix_class, ast::Prefix> prefixed = "operand";
const x3::rule<power_class, ast::Chain> power = "operand";
const x3::rule<primary_class, ast::Operand> primary = "operand";
const x3::rule<number_class, ast::Number> number = "number";
const x3::rule<string_class, ast::StringLiteral> string_literal = "string";
const x3::rule<keyword_class, ast::Keyword> constant = "constant";
const x3::rule<name_class, ast::Name> name = "name";
const x3::rule<call_class, ast::Call> call = "function call";
const x3::rule<conditional_class, ast::Conditional> conditional = "if … then … else …";
const x3::rule<list_class, ast::List> list = "'(' list ')'";

// Semantic actions for the one-member nodes.
inline const auto set_raw = [](auto& ctx) {
  const auto& range = x3::_attr(ctx);
  x3::_val(ctx).raw.assign(range.begin(), range.end());
  x3::_val(ctx).begin = &*range.begin();
  x3::_val(ctx).end = &*range.begin() + (range.end() - range.begin());
};
inline const auto set_number_text = [](auto& ctx) {
  const auto& range = x3::_attr(ctx);
  x3::_val(ctx).text.assign(range.begin(), range.end());
  x3::_val(ctx).begin = &*range.begin();
  x3::_val(ctx).end = &*range.begin() + (range.end() - range.begin());
};
inline const auto set_percent = [](auto& ctx) { x3::_val(ctx).percent = true; };
inline const auto set_word = [](auto& ctx) {
  const auto& range = x3::_attr(ctx);
  x3::_val(ctx).word.assign(range.begin(), range.end());
  x3::_val(ctx).begin = &*range.begin();
  x3::_val(ctx).end = &*range.begin() + (range.end() - range.begin());
};
inline const auto set_items = [](auto& ctx) { x3::_val(ctx).items = std::move(x3::_attr(ctx)); };

inline const auto digits = +x3::char_('0', '9');
inline const auto exponent = (lit('e') | lit('E')) >> -(lit('+') | lit('-')) >> digits;
inline const auto mantissa = (digits >> -(lit('.') >> digits)) | (lit('.') >> digits);

const auto statement_def = -assignment > expression;
const auto assignment_def = name >> lit('=') >> !lit('=');
const auto expression_def = or_expression;
const auto or_expression_def = and_expression >> *or_tail;
const auto or_tail_def = or_op > and_expression;
const auto and_expression_def = not_expression >> *and_tail;
const auto and_tail_def = and_op > not_expression;
const auto not_expression_def = negation | comparison;
const auto negation_def = not_op >> !kw("in") > guard[not_expression];
const auto comparison_def = additive >> *comparison_tail;
const auto comparison_tail_def = compare_tail | in_tail;
const auto compare_tail_def = compare_sym > additive;
const auto in_tail_def = in_op > list;
const auto list_def = (open_paren > (guard[expression] % comma) > close_paren)[set_items];
const auto additive_def = multiplicative >> *additive_tail;
const auto additive_tail_def = additive_sym > multiplicative;
const auto multiplicative_def = unary >> *multiplicative_tail;
const auto multiplicative_tail_def = multiplicative_sym > unary;
const auto unary_def = prefixed | power;
const auto prefixed_def = prefix_sym > guard[unary];
const auto power_def = primary >> *power_tail;
const auto power_tail_def = power_sym > guard[unary];
const auto primary_def = number | string_literal | conditional | constant | call | name
                       | (open_paren > guard[expression] > close_paren);
const auto number_def = lexeme[raw[mantissa >> -exponent][set_number_text]
                               >> -((lit('%') | lit("\uFF05"))[set_percent]) >> !name_continue];
const auto string_literal_def = lexeme[raw[(lit('"') > *((lit('\\') > x3::char_) | (x3::char_ - '"' - '\\' - '\n')) > lit('"'))
                                   | (lit('\'') > *((lit('\\') > x3::char_) | (x3::char_ - '\'' - '\\' - '\n')) > lit('\''))][set_raw]];
const auto constant_def = raw[kw("true") | kw("false") | kw("null")][set_word];
const auto name_def = raw[lexeme[(!keyword_word >> name_start >> *name_continue)
                                 | (lit('[') > *(x3::char_ - ']' - '\n') > lit(']'))]][set_raw];
const auto call_def = !keyword_word >> lexeme[raw[name_start >> *name_continue]] >> open_paren
                    > -(guard[expression] % comma) > close_paren;
const auto conditional_def = kw("if") > guard[expression] > kw("then") > guard[expression]
                           > kw("else") > guard[expression];
// clang-format on

BOOST_SPIRIT_DEFINE(assignment, or_tail, and_tail, additive_tail, multiplicative_tail, power_tail)
BOOST_SPIRIT_DEFINE(statement, expression, or_expression, and_expression, not_expression, negation,
                    comparison, comparison_tail, compare_tail, in_tail, list, additive,
                    multiplicative, unary, prefixed, power, primary, number, string_literal,
                    constant, name, call, conditional)

}  // namespace arscore::formula::detail::grammar
