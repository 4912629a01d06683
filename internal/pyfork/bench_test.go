//go:build unix

package pyfork

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// BenchmarkBoto3Program runs a program that makes a Secrets Manager
// client, as every graded program does: as a process of its own, and
// forked from the warm interpreter.
func BenchmarkBoto3Program(b *testing.B) {
	exe, env := python(b)
	dir := b.TempDir()
	script := filepath.Join(dir, "main.py")
	src := "import boto3\nboto3.client('secretsmanager', region_name='us-east-1', aws_access_key_id='x', aws_secret_access_key='y')\n"
	if err := os.WriteFile(script, []byte(src), 0o600); err != nil {
		b.Fatal(err)
	}
	for _, mode := range []string{"direct", "forked"} {
		b.Run(mode, func(b *testing.B) {
			for b.Loop() {
				cmd := exec.Command(exe, script)
				cmd.Env, cmd.Dir = env, dir
				var p Process = cmd
				if mode == "forked" {
					p = Command(context.Background(), cmd)
					if _, ok := p.(*Cmd); !ok {
						b.Fatal("not forked")
					}
				}
				if err := p.Run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
