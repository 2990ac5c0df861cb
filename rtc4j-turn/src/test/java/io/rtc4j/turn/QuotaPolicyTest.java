package io.rtc4j.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class QuotaPolicyTest {

    @Test
    void perUserQuota() {
        QuotaPolicy q = new QuotaPolicy(2, 0);
        assertThat(q.tryAcquire("alice")).isEqualTo(QuotaResult.OK);
        assertThat(q.tryAcquire("alice")).isEqualTo(QuotaResult.OK);
        assertThat(q.tryAcquire("alice")).isEqualTo(QuotaResult.USER_QUOTA_EXCEEDED);
        assertThat(q.tryAcquire("bob")).isEqualTo(QuotaResult.OK);
        assertThat(q.held("alice")).isEqualTo(2);
        assertThat(q.total()).isEqualTo(3);
        q.release("alice");
        assertThat(q.tryAcquire("alice")).isEqualTo(QuotaResult.OK);
        assertThat(q.total()).isEqualTo(3);
    }

    @Test
    void totalQuota() {
        QuotaPolicy q = new QuotaPolicy(0, 2);
        assertThat(q.tryAcquire("a")).isEqualTo(QuotaResult.OK);
        assertThat(q.tryAcquire("b")).isEqualTo(QuotaResult.OK);
        assertThat(q.tryAcquire("c")).isEqualTo(QuotaResult.TOTAL_QUOTA_EXCEEDED);
        q.release("a");
        assertThat(q.tryAcquire("c")).isEqualTo(QuotaResult.OK);
    }

    @Test
    void refusedByTotalCountsNothingForTheUser() {
        QuotaPolicy q = new QuotaPolicy(5, 1);
        assertThat(q.tryAcquire("a")).isEqualTo(QuotaResult.OK);
        assertThat(q.tryAcquire("b")).isEqualTo(QuotaResult.TOTAL_QUOTA_EXCEEDED);
        assertThat(q.held("b")).isZero();
        q.release("b"); // b holds nothing: must not free a's slot
        assertThat(q.total()).isEqualTo(1);
        assertThat(q.tryAcquire("b")).isEqualTo(QuotaResult.TOTAL_QUOTA_EXCEEDED);
    }

    @Test
    void userQuotaIsReportedBeforeTotal() {
        QuotaPolicy q = new QuotaPolicy(1, 1);
        assertThat(q.tryAcquire("a")).isEqualTo(QuotaResult.OK);
        assertThat(q.tryAcquire("a")).isEqualTo(QuotaResult.USER_QUOTA_EXCEEDED);
        assertThat(q.tryAcquire("b")).isEqualTo(QuotaResult.TOTAL_QUOTA_EXCEEDED);
    }

    @Test
    void releaseNeverGoesNegativeAndForgetsIdleUsers() {
        QuotaPolicy q = new QuotaPolicy(3, 0);
        q.release("ghost");
        q.release(null);
        assertThat(q.total()).isZero();
        assertThat(q.tryAcquire("alice")).isEqualTo(QuotaResult.OK);
        q.release("alice");
        q.release("alice");
        assertThat(q.total()).isZero();
        assertThat(q.held("alice")).isZero();
        for (int i = 0; i < 10_000; i++) {
            String user = "user" + i;
            assertThat(q.tryAcquire(user)).isEqualTo(QuotaResult.OK);
            q.release(user);
        }
        assertThat(q.toString()).contains("held=0");
        QuotaPolicy unlimited = QuotaPolicy.unlimited();
        unlimited.release("x");
        assertThat(unlimited.total()).isZero();
        assertThat(unlimited.tryAcquire("x")).isEqualTo(QuotaResult.OK);
        assertThat(unlimited.total()).isEqualTo(1);
    }

    @Test
    void errorCodes() {
        assertThat(QuotaResult.OK.errorCode()).isZero();
        assertThat(QuotaResult.USER_QUOTA_EXCEEDED.errorCode()).isEqualTo(486);
        assertThat(QuotaResult.TOTAL_QUOTA_EXCEEDED.errorCode()).isEqualTo(508);
        assertThatThrownBy(() -> new QuotaPolicy(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neverOvercommitsUnderContention() throws Exception {
        QuotaPolicy q = new QuotaPolicy(10, 25);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String user = "u" + (t % 3);
                tasks.add(() -> {
                    int granted = 0;
                    for (int i = 0; i < 1000; i++) {
                        if (q.tryAcquire(user) == QuotaResult.OK) {
                            granted++;
                        }
                    }
                    return granted;
                });
            }
            int granted = 0;
            for (Future<Integer> f : pool.invokeAll(tasks)) {
                granted += f.get();
            }
            // 3 users x 10 would be 30, but the total caps it at 25.
            assertThat(granted).isEqualTo(25);
            assertThat(q.total()).isEqualTo(25);
            assertThat(q.held("u0") + q.held("u1") + q.held("u2")).isEqualTo(25);
        } finally {
            pool.shutdownNow();
        }
    }
}
