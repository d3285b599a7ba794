package spec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Parse decodes one figure from JSON and validates it. Unknown fields
// are errors, so a misspelt column key does not silently draw nothing;
// syntax errors name the line and column of the JSON text.
func Parse(data []byte) (Figure, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f Figure
	if err := dec.Decode(&f); err != nil {
		return Figure{}, jsonError(data, err)
	}
	if dec.More() {
		return Figure{}, fmt.Errorf("%s: more than one JSON value", position(data, dec.InputOffset()))
	}
	return f, f.Validate()
}

// Marshal encodes f as indented JSON ending in a newline: the form
// Parse reads and experiments write. Equal figures encode to equal bytes.
func Marshal(f Figure) ([]byte, error) {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// jsonError prefixes a syntax or type error with the line:column of the
// last byte the decoder read (the offending one). Other errors, such as an
// unknown field, name what is wrong themselves.
func jsonError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("%s: %w", position(data, syn.Offset-1), err)
	case errors.As(err, &typ):
		return fmt.Errorf("%s: %w", position(data, typ.Offset-1), err)
	}
	return err
}

// position returns "line:column" (1-based, column in bytes) of offset in
// data.
func position(data []byte, offset int64) string {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("%d:%d", line, col)
}
