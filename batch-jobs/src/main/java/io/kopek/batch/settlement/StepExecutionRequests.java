package io.kopek.batch.settlement;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.support.converter.MessageConversionException;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A partition request on the queue: {@code {"stepName":"matchPartition","stepExecutionId":42}}, JSON rather than
 * Java serialisation, so that a message on the queue can neither make a worker build an object of any other class
 * nor depend on Spring Batch's class layout, and can be read by whoever looks at the queue.
 */
final class StepExecutionRequests implements MessageConverter {

    private static final JsonMapper JSON = new JsonMapper();

    /** The body's shape. */
    record Body(String stepName, long stepExecutionId) {}

    @Override
    public Message toMessage(Object object, MessageProperties properties) {
        if (!(object instanceof StepExecutionRequest request)) {
            throw new MessageConversionException("not a StepExecutionRequest: " + object);
        }
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setContentEncoding("UTF-8");
        return new Message(
                JSON.writeValueAsBytes(new Body(request.getStepName(), request.getStepExecutionId())), properties);
    }

    @Override
    public StepExecutionRequest fromMessage(Message message) {
        try {
            Body body = JSON.readValue(message.getBody(), Body.class);
            if (body.stepName() == null || body.stepExecutionId() <= 0) {
                throw new MessageConversionException("not a partition request: " + message);
            }
            return new StepExecutionRequest(body.stepName(), body.stepExecutionId());
        } catch (JacksonException e) {
            throw new MessageConversionException("not a partition request: " + message, e);
        }
    }
}
