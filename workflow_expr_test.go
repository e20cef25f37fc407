package main

// GitHub's ${{ }} expressions, evaluated for the workflow runner as GitHub
// evaluates them: contexts, operators, functions and loose comparison.

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/rhysd/actionlint"
	"github.com/stretchr/testify/require"
)

// unwrapExpr strips ${{ }} from a whole-expression value such as an if:.
func unwrapExpr(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "${{") && strings.HasSuffix(s, "}}") {
		return s[3 : len(s)-2]
	}
	return s
}

// interpolate replaces each ${{ }} of a value with its result.
func (r *jobRun) interpolate(s string) string {
	return expressions.ReplaceAllStringFunc(s, func(e string) string {
		return str(r.eval(expressions.FindStringSubmatch(e)[1]))
	})
}

// eval evaluates an expression the way GitHub Actions does, for the
// parts of the language the shipped workflows use.
func (r *jobRun) eval(src string) any {
	n, err := actionlint.NewExprParser().Parse(actionlint.NewExprLexer(src + "}}"))
	require.Nil(r.t, err, "expression %q", src)
	return r.node(n)
}

func (r *jobRun) node(n actionlint.ExprNode) any {
	switch n := n.(type) {
	case *actionlint.VariableNode:
		return r.context(n.Name)
	case *actionlint.NullNode:
		return nil
	case *actionlint.BoolNode:
		return n.Value
	case *actionlint.IntNode:
		return float64(n.Value)
	case *actionlint.FloatNode:
		return n.Value
	case *actionlint.StringNode:
		return n.Value
	case *actionlint.ObjectDerefNode:
		return deref(r.node(n.Receiver), n.Property)
	case *actionlint.ArrayDerefNode:
		// .* keeps the elements; a property after it is taken of each.
		if a, ok := r.node(n.Receiver).([]any); ok {
			return filtered(a)
		}
		return filtered(nil)
	case *actionlint.IndexAccessNode:
		return deref(r.node(n.Operand), str(r.node(n.Index)))
	case *actionlint.NotOpNode:
		return !truthy(r.node(n.Operand))
	case *actionlint.CompareOpNode:
		l, rr := r.node(n.Left), r.node(n.Right)
		switch n.Kind {
		case actionlint.CompareOpNodeKindEq:
			return looseEqual(l, rr)
		case actionlint.CompareOpNodeKindNotEq:
			return !looseEqual(l, rr)
		}
		r.t.Fatalf("comparison %s is not supported by this test's evaluator", n.Kind)
	case *actionlint.LogicalOpNode:
		l := r.node(n.Left)
		if (n.Kind == actionlint.LogicalOpNodeKindAnd) != truthy(l) {
			return l
		}
		return r.node(n.Right)
	case *actionlint.FuncCallNode:
		var args []any
		for _, a := range n.Args {
			args = append(args, r.node(a))
		}
		switch strings.ToLower(n.Callee) {
		case "success":
			return !r.failed
		case "failure":
			return r.failed
		case "always":
			return true
		case "cancelled":
			return false
		case "contains":
			if list, ok := args[0].(filtered); ok {
				return slices.ContainsFunc(list, func(v any) bool { return looseEqual(v, args[1]) })
			}
			if list, ok := args[0].([]any); ok {
				return slices.ContainsFunc(list, func(v any) bool { return looseEqual(v, args[1]) })
			}
			return strings.Contains(strings.ToLower(str(args[0])), strings.ToLower(str(args[1])))
		}
		r.t.Fatalf("function %s is not supported by this test's evaluator", n.Callee)
	}
	r.t.Fatalf("expression node %T is not supported by this test's evaluator", n)
	return nil
}

// filtered is the result of .*: a property of it is taken of each element.
type filtered []any

func (r *jobRun) context(name string) any {
	switch name {
	case "github":
		return r.github
	case "matrix":
		return r.matrix
	case "env":
		m := map[string]any{}
		for k, v := range r.env {
			m[k] = v
		}
		return m
	case "steps":
		m := map[string]any{}
		for id, s := range r.steps {
			outputs := map[string]any{}
			for k, v := range s.outputs {
				outputs[k] = v
			}
			m[id] = map[string]any{"outputs": outputs, "outcome": s.outcome, "conclusion": s.outcome}
		}
		return m
	case "secrets", "vars", "inputs":
		return map[string]any{}
	}
	r.t.Fatalf("context %s is not supported by this test's evaluator", name)
	return nil
}

func deref(v any, prop string) any {
	switch v := v.(type) {
	case map[string]any:
		if x, ok := v[prop]; ok {
			return x
		}
		for k, x := range v {
			if strings.EqualFold(k, prop) {
				return x
			}
		}
	case filtered:
		var out filtered
		for _, e := range v {
			if x := deref(e, prop); x != nil {
				out = append(out, x)
			}
		}
		return out
	}
	return nil
}

func truthy(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case bool:
		return v
	case float64:
		return v != 0
	case string:
		return v != ""
	}
	return true
}

func str(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case string:
		return v
	}
	data, _ := json.Marshal(v)
	return string(data)
}

// looseEqual is GitHub's ==: strings ignore case, values of different
// kinds compare as numbers (null and the empty string are both 0), NaN equals nothing.
func looseEqual(a, b any) bool {
	as, aok := a.(string)
	bs, bok := b.(string)
	if aok && bok {
		return strings.EqualFold(as, bs)
	}
	x, y := number(a), number(b)
	return x == y && x != notANumber
}

const notANumber = -1e308

func number(v any) float64 {
	switch v := v.(type) {
	case nil:
		return 0
	case bool:
		if v {
			return 1
		}
		return 0
	case float64:
		return v
	case string:
		if strings.TrimSpace(v) == "" {
			return 0
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return notANumber
		}
		return f
	}
	return notANumber
}
