#pragma once
// The X3 attribute AST of one statement. Private to the parser: grammar.cpp lowers it into
// detail::SyntaxTree right after parsing, so X3 types never reach the rest of arscore.

#include <boost/spirit/home/x3/support/ast/position_tagged.hpp>
#include <boost/spirit/home/x3/support/ast/variant.hpp>
#include <optional>
#include <string>
#include <vector>

#include "arscore/formula/detail/syntax.hpp"

namespace arscore::formula::detail::ast {

namespace x3 = boost::spirit::x3;

struct Nil {};
// Leaf nodes are filled by semantic actions, which also record the bytes they came from.
struct Leaf : x3::position_tagged {
  const char* begin = nullptr;
  const char* end = nullptr;
};
struct Number : Leaf {
  std::string text;  // the digits as written, converted exactly (std::from_chars)
  bool percent = false;
};
struct StringLiteral : Leaf {
  std::string raw;  // with its quotes and escapes
};
struct Keyword : Leaf {
  std::string word;  // true / false / null, any case
};
struct Name : Leaf {
  std::string raw;  // plain name, or "[bracketed name]"
};
struct Call;
struct Conditional;
struct Prefix;
struct Chain;
struct List;

struct Operand : x3::variant<Nil, Number, StringLiteral, Keyword, Name, x3::forward_ast<Call>,
                             x3::forward_ast<Conditional>, x3::forward_ast<Prefix>,
                             x3::forward_ast<Chain>, x3::forward_ast<List>> {
  using base_type::base_type;
  using base_type::operator=;
};

struct List : x3::position_tagged {
  std::vector<Operand> items;
};
struct Operation : x3::position_tagged {
  Op op = Op::add;
  Operand operand;
};
struct Chain : x3::position_tagged {
  Operand first;
  std::vector<Operation> rest;
};
struct Prefix : x3::position_tagged {
  Op op = Op::neg;
  Operand operand;
};
struct Call : x3::position_tagged {
  std::string function;
  std::vector<Operand> arguments;
};
struct Conditional : x3::position_tagged {
  Operand condition;
  Operand then_branch;
  Operand else_branch;
};
struct Statement : x3::position_tagged {
  std::optional<Name> assignment;
  Operand expression;
};

}  // namespace arscore::formula::detail::ast
