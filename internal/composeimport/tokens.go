package composeimport

import "github.com/hashicorp/hcl/v2/hclsyntax"

const (
	hclsynTokenOBrack = hclsyntax.TokenOBrack
	hclsynTokenCBrack = hclsyntax.TokenCBrack
	hclsynTokenComma  = hclsyntax.TokenComma
)

const (
	hclsynTokenOBrace = hclsyntax.TokenOBrace
	hclsynTokenCBrace = hclsyntax.TokenCBrace
	hclsynTokenEqual  = hclsyntax.TokenEqual
)

const hclsynTokenComment = hclsyntax.TokenComment
