#pragma once
// Fusion adaptation of the X3 AST nodes with two or more members, so that grammar sequences
// fill them. One-member nodes (Number, Name, …) are filled by semantic actions instead.

#include <boost/fusion/include/adapt_struct.hpp>

#include "ast.hpp"

BOOST_FUSION_ADAPT_STRUCT(arscore::formula::detail::ast::Operation, op, operand)
BOOST_FUSION_ADAPT_STRUCT(arscore::formula::detail::ast::Chain, first, rest)
BOOST_FUSION_ADAPT_STRUCT(arscore::formula::detail::ast::Prefix, op, operand)
BOOST_FUSION_ADAPT_STRUCT(arscore::formula::detail::ast::Call, function, arguments)
BOOST_FUSION_ADAPT_STRUCT(arscore::formula::detail::ast::Conditional, condition, then_branch,
                          else_branch)
BOOST_FUSION_ADAPT_STRUCT(arscore::formula::detail::ast::Statement, assignment, expression)
