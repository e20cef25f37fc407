package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/zonesync/zonesync/plan"
)

func readPlan(path string) (*plan.Plan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read plan file: %w", err)
	}
	defer f.Close()
	p, err := plan.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// savePlan writes the plan file atomically, so a failed write never leaves
// a truncated plan that could be applied.
func savePlan(path string, p *plan.Plan) error {
	if err := checkPlanDir(path); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".plan-*.json")
	if err != nil {
		// The error would name the temporary file, which the user never chose.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("save the plan to %s: cannot create a file in directory %s: %v", path, dir, err)
	}
	defer os.Remove(tmp.Name())
	if err := plan.WriteJSON(tmp, p); err != nil {
		tmp.Close()
		return fmt.Errorf("save plan: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save plan: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save plan: %w", err)
	}
	return nil
}

// checkPlanDir makes sure that plan -out can write the file it is given.
func checkPlanDir(path string) error {
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("-out %s: directory %s does not exist; create it first (mkdir -p %s) or save the plan elsewhere", path, dir, dir)
	case err != nil:
		return fmt.Errorf("-out %s: %w", path, err)
	case !st.IsDir():
		return fmt.Errorf("-out %s: %s is not a directory; save the plan elsewhere", path, dir)
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("-out %s is a directory; name a file, such as %s", path, filepath.Join(path, "plan.json"))
	}
	return nil
}
