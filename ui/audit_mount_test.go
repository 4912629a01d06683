package ui

import (
	"context"
	"strings"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	tea "github.com/charmbracelet/bubbletea"

	"secretlings/aws"
	"secretlings/aws/emulator"
	"secretlings/lessons"
)

// connectEmbedded starts the embedded backend as main does, with the
// learner's AWS configuration out of the way, so that the audit view's
// CloudTrail client is the one Conn.Clients builds.
func connectEmbedded(t *testing.T) *aws.Conn {
	t.Helper()
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL"} {
		t.Setenv(k, "")
	}
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", dir+"/config")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", dir+"/credentials")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	conn, err := aws.Connect(context.Background(), aws.Target{Backend: aws.Embedded, Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func allLessons(t *testing.T) []*lessons.Lesson {
	t.Helper()
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// TestAuditKeyOpensTheTrailAndEscReturns: A on the home screen opens the
// audit trail, which shows the intern's refused read; esc returns home.
func TestAuditKeyOpensTheTrailAndEscReturns(t *testing.T) {
	conn := connectEmbedded(t)
	intern, _ := emulator.CastMemberNamed("intern")
	as := conn.As(credentials.NewStaticCredentialsProvider(intern.AccessKeyID, intern.SecretAccessKey, ""))
	if _, err := as.SecretsManager.GetSecretValue(context.Background(), &secretsmanager.GetSecretValueInput{SecretId: sdkaws.String("prod/db")}); err == nil {
		t.Fatal("the intern read a secret")
	}
	m := New(Options{Lessons: allLessons(t), Backend: Backend{Target: conn.Target, Conn: conn}, Now: fixedNow, MarkdownStyle: "dark"})
	var tm tea.Model = m
	tm = send(tm, tea.WindowSizeMsg{Width: 100, Height: 30})
	tm = send(tm, press("A"))
	if tm.(Model).screen != screenAudit {
		t.Fatalf("A did not open the audit trail:\n%s", tm.View())
	}
	v := tm.View()
	for _, want := range []string{"Audit trail", "intern", "GetSecretValue prod/db", "✗ ", "AccessDenied"} {
		if !strings.Contains(v, want) {
			t.Errorf("the audit trail lacks %q:\n%s", want, v)
		}
	}
	tm = send(tm, press("?"))
	if !strings.Contains(tm.View(), "details") || !strings.Contains(tm.View(), "refresh") {
		t.Errorf("? does not show the audit trail's keys:\n%s", tm.View())
	}
	tm = send(tm, press("?"))
	tm = send(tm, press("esc"))
	if tm.(Model).screen != screenHome {
		t.Fatalf("esc did not return home:\n%s", tm.View())
	}
	// The browser, then the trail, then back twice: esc retraces the way.
	tm = send(tm, press("s"))
	tm = send(tm, press("A"))
	tm = send(tm, press("esc"))
	if tm.(Model).screen != screenBrowser {
		t.Errorf("esc from the trail opened from the browser did not return to it")
	}
}

// TestAuditKeyExplainsOtherBackends: on LocalStack and AWS, A stays where
// it is and says why, pointing at CloudTrail on AWS.
func TestAuditKeyExplainsOtherBackends(t *testing.T) {
	for _, tc := range []struct {
		backend aws.Backend
		want    string
	}{
		{aws.LocalStack, "the audit trail is the embedded emulator's"},
		{aws.AWS, "aws cloudtrail lookup-events"},
	} {
		t.Run(string(tc.backend), func(t *testing.T) {
			target := aws.Target{Backend: tc.backend, Endpoint: "http://127.0.0.1:4566", Region: "us-east-1"}
			client := secretsmanager.New(secretsmanager.Options{Region: "us-east-1", BaseEndpoint: sdkaws.String(target.Endpoint)})
			m := New(Options{Lessons: allLessons(t), Backend: Backend{Target: target, Conn: &aws.Conn{Target: target, Client: client}}, Now: fixedNow, MarkdownStyle: "dark"})
			var tm tea.Model = m
			tm = send(tm, tea.WindowSizeMsg{Width: 100, Height: 30})
			tm = send(tm, press("A"))
			if tm.(Model).screen != screenHome {
				t.Fatal("A left the home screen on a backend without the trail")
			}
			if v := tm.View(); !strings.Contains(strings.Join(strings.Fields(v), " "), tc.want) {
				t.Errorf("A does not say %q:\n%s", tc.want, v)
			}
			assertFits(t, tm.View(), 100, 30)
			tm = send(tm, press("j"))
			if strings.Contains(tm.View(), tc.want) {
				t.Error("the explanation outlives the next key")
			}
		})
	}
}
